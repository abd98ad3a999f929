package dev.tally.verticles.history;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.promql.Labels;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the history: at the first tick of each {@code --history-resolution} window, every sample
 * {@code /metrics} shows ({@link ExposedSamples}: the same names and labels, so a query sees what a
 * Prometheus scraping Tally would store), stamped with the tick. A worker (it writes and forces
 * files); the single owner and writer of its {@link HistoryStore}. Queries read the store through
 * {@link #store()} from other threads.
 */
public final class HistoryVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(HistoryVerticle.class.getName());

  private final HistoryOptions options;
  private final HistoryCounts counts;
  private volatile HistoryStore store;
  private MessageConsumer<TickSnapshot> consumer;
  private MessageConsumer<RecordedSamples> recordings;
  private long window = Long.MIN_VALUE;
  private Map<SeriesKey, Known> ids = new HashMap<>(); // each series' samples' ids, as last written
  private int[] batchIds = new int[1024];
  private double[] batchValues = new double[1024];

  /**
   * The ids of a series' samples by position, each with the name and extra label value it was made
   * for: a sample whose name or bound changed (a reload's observer type or buckets, an OTLP
   * histogram's new bounds) gets its id anew.
   */
  private final class Known {
    private int[] ids = new int[8];
    private String[] names = new String[8];
    private String[] extras = new String[8];

    int id(SeriesKey key, int i, String name, String extraName, String extraValue) {
      if (i >= ids.length) {
        ids = Arrays.copyOf(ids, ids.length * 2);
        names = Arrays.copyOf(names, ids.length);
        extras = Arrays.copyOf(extras, ids.length);
      }
      if (!name.equals(names[i]) || !Objects.equals(extraValue, extras[i])) {
        ids[i] = idOf(key, name, extraName, extraValue);
        names[i] = name;
        extras[i] = extraValue;
      }
      return ids[i];
    }
  }

  public HistoryVerticle(HistoryOptions options) {
    this.options = options;
    this.counts = new HistoryCounts();
  }

  /** The store, once started; null before. */
  public HistoryStore store() {
    return store;
  }

  /** The meters' source. */
  public HistoryCounts counts() {
    return counts;
  }

  @Override
  public Future<?> start() throws IOException {
    store = HistoryStore.open(options, counts);
    LocalCodec.register(vertx, RecordedSamples.class);
    consumer = vertx.eventBus().localConsumer(Addresses.TICK, m -> onTick(m.body()));
    recordings =
        vertx.eventBus().localConsumer(Addresses.HISTORY_RECORD, m -> onRecorded(m.body()));
    return Future.all(consumer.completion(), recordings.completion());
  }

  private void onTick(TickSnapshot tick) {
    long w = Math.floorDiv(tick.tickMillis(), options.resolutionMillis());
    if (w == window || tick.tickMillis() == 0) {
      return;
    }
    window = w;
    try {
      write(tick);
    } catch (IOException | RuntimeException e) {
      counts.writeFailures++;
      LOG.log(Level.WARNING, "history: cannot write the samples of " + tick.tickMillis(), e);
      return;
    }
    vertx.eventBus().publish(Addresses.HISTORY_APPENDED, tick.tickMillis()); // rules may run
  }

  /** A rule group's recordings: written as the group's source, at the evaluation's time. */
  private void onRecorded(RecordedSamples r) {
    try {
      int[] recordIds = new int[r.labels().size()];
      for (int i = 0; i < recordIds.length; i++) {
        recordIds[i] = store.seriesId(r.labels().get(i));
      }
      store.append(r.source(), r.time(), recordIds, r.values(), recordIds.length);
    } catch (IOException | RuntimeException e) {
      counts.writeFailures++;
      LOG.log(Level.WARNING, "history: cannot write the recordings of " + r.time(), e);
    }
  }

  private void write(TickSnapshot tick) throws IOException {
    Map<SeriesKey, Known> next = new HashMap<>(Math.max(16, ids.size() * 4 / 3 + 1));
    int[] n = {0};
    for (SeriesSnapshot s : tick.series()) {
      Known known = ids.get(s.key());
      Known k = known != null ? known : new Known();
      int[] at = {0};
      ExposedSamples.Sink sink =
          (name, extraName, extraValue, value, exemplar) ->
              add(n, k.id(s.key(), at[0]++, name, extraName, extraValue), value);
      ExposedSamples.forEach(s, sink);
      ExposedSamples.forEachWindowSummary(s, sink);
      next.put(s.key(), k);
    }
    ids = next;
    store.append(tick.tickMillis(), batchIds, batchValues, n[0]);
  }

  private void add(int[] n, int id, double value) {
    if (n[0] == batchIds.length) {
      batchIds = Arrays.copyOf(batchIds, n[0] * 2);
      batchValues = Arrays.copyOf(batchValues, n[0] * 2);
    }
    batchIds[n[0]] = id;
    batchValues[n[0]++] = value;
  }

  private int idOf(SeriesKey key, String name, String extraName, String extraValue) {
    Labels.Builder b = new Labels.Builder();
    for (int i = 0; i < key.labelCount(); i++) {
      b.set(key.labelName(i), key.labelValue(i));
    }
    b.set(Labels.NAME, name);
    if (extraName != null) {
      b.set(extraName, extraValue);
    }
    try {
      return store.seriesId(b.build());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public Future<?> stop() throws IOException {
    Future<Void> unregistered =
        consumer == null
            ? Future.succeededFuture()
            : Future.all(consumer.unregister(), recordings.unregister()).mapEmpty();
    if (store != null) {
      store.close();
    }
    return unregistered;
  }
}
