package dev.tally.verticles.export;

import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.model.SpanBatch;
import dev.tally.protocol.otlp.OtlpOut;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.disk.SegmentLog;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exports to one target: at the first tick of each export interval, every series this node shows on
 * {@code /metrics} ({@link RemoteWriteBatches} for remote write, {@link OtlpMetricsBatches} for
 * OTLP); for OTLP targets also the spans of the traces the trace store keeps ({@link
 * Addresses#TRACES_KEPT}) and the log records the log store takes ({@link Addresses#LOGS_TAIL}), as
 * they come. Everything goes first into the target's queues on disk (one {@link SegmentLog} per
 * shard), synced once per export interval, from which each shard's {@link ShardSender} sends. The
 * queues, encoders and senders are this verticle's alone. Deployed as a worker: it encodes whole
 * ticks and does file I/O, which no event loop may wait for; a slow or dead target holds back
 * nothing but its own queue.
 */
public final class ExportVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(ExportVerticle.class.getName());
  private static final long MAX_SEGMENT_BYTES = 64L << 20;

  private final ExportTarget target;
  private final ExportOptions options;
  private final ExportStats stats;
  private final Predicate<SeriesKey> owned;
  private final Wire wire;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private SegmentLog[] logs;
  private ShardSender[] senders;
  private RemoteWriteBatches remoteWrite;
  private OtlpMetricsBatches otlpMetrics;
  private HttpClient client;
  private long window = Long.MIN_VALUE;
  private long syncTimer = -1;
  private boolean unsynced;

  /**
   * @param owned true for the series this node owns (clustered; else every series), asked about
   *     series that left the tick; thread-safe
   */
  public ExportVerticle(
      ExportTarget target, ExportOptions options, ExportStats stats, Predicate<SeriesKey> owned) {
    this.target = target;
    this.options = options;
    this.stats = stats;
    this.owned = owned;
    this.wire =
        switch (target.protocol()) {
          case REMOTE_WRITE -> new RemoteWriteWire(target.url());
          case OTLP_HTTP -> new OtlpHttpWire(target.url(), target.gzip());
          case OTLP_GRPC -> new OtlpGrpcWire(target.url(), target.gzip());
        };
  }

  @Override
  public Future<?> start() throws IOException {
    int shards = target.shards();
    long perShard = target.queueMaxBytes() / shards;
    long segmentBytes = Math.max(16 << 10, Math.min(MAX_SEGMENT_BYTES, perShard / 8));
    logs = new SegmentLog[shards];
    for (int i = 0; i < shards; i++) {
      logs[i] = SegmentLog.open(options.queueDir(target, i), segmentBytes, perShard);
      if (logs[i].truncatedBytes() > 0) {
        LOG.warning(
            "export "
                + target.name()
                + ": "
                + logs[i].truncatedBytes()
                + " bytes of a record cut by a crash removed from queue "
                + i);
      }
    }
    client =
        vertx.createHttpClient(
            wire.client(clientOptions()), new PoolOptions().setHttp1MaxSize(shards));
    senders = new ShardSender[shards];
    for (int i = 0; i < shards; i++) {
      senders[i] = new ShardSender(vertx, client, wire, target, logs[i], stats, this::refresh);
    }
    int max = target.maxSamplesPerSend();
    if (target.protocol() == ExportProtocol.REMOTE_WRITE) {
      remoteWrite = new RemoteWriteBatches(target.match(), shards, max, owned);
    } else {
      otlpMetrics =
          new OtlpMetricsBatches(
              target.match(), shards, max, System.currentTimeMillis() * 1_000_000L);
    }
    refresh();
    for (ShardSender s : senders) {
      s.pump(); // what a previous run left unsent
    }
    List<Future<Void>> ready = new ArrayList<>();
    if (target.signals().contains(Signal.METRICS)) {
      ready.add(consume(Addresses.TICK, (TickSnapshot t) -> onTick(t)));
    }
    if (target.signals().contains(Signal.TRACES)) {
      LocalCodec.register(vertx, SpanBatch.class);
      ready.add(
          consume(
              Addresses.TRACES_KEPT,
              (SpanBatch b) ->
                  append(
                      b.spans(),
                      Wire.OTLP_TRACES,
                      s -> Long.hashCode(s.traceIdLow()),
                      list -> OtlpOut.spans(list).toByteArray())));
    }
    if (target.signals().contains(Signal.LOGS)) {
      LocalCodec.register(vertx, LogBatch.class);
      ready.add(
          consume(
              Addresses.LOGS_TAIL,
              (LogBatch b) ->
                  append(
                      b.entries(),
                      Wire.OTLP_LOGS,
                      // by service: one service's records arrive in the order they came
                      e -> e.service() == null ? 0 : e.service().hashCode(),
                      list -> OtlpOut.logs(list).toByteArray())));
    }
    // spans and logs are appended as they come: synced with the metrics, or on their own
    syncTimer = vertx.setPeriodic(options.intervalMillis(), id -> syncIfNeeded());
    return Future.all(ready);
  }

  private <T> Future<Void> consume(String address, java.util.function.Consumer<T> handler) {
    MessageConsumer<T> c = vertx.eventBus().localConsumer(address, m -> handler.accept(m.body()));
    consumers.add(c);
    return c.completion();
  }

  private HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions().setKeepAlive(true);
    String scheme = target.url().getScheme();
    if ("https".equalsIgnoreCase(scheme) || "grpcs".equalsIgnoreCase(scheme)) {
      o.setSsl(true);
      if (target.tlsCa() != null) {
        o.setTrustOptions(new PemTrustOptions().addCertPath(target.tlsCa()));
      }
      if (target.tlsCert() != null) {
        o.setKeyCertOptions(
            new PemKeyCertOptions().setCertPath(target.tlsCert()).setKeyPath(target.tlsKey()));
      }
    }
    return o;
  }

  private void onTick(TickSnapshot tick) {
    long w = Math.floorDiv(tick.tickMillis(), options.intervalMillis());
    if (w == window || tick.tickMillis() == 0) {
      return;
    }
    window = w;
    RemoteWriteBatches.Records records =
        (shard, bytes, length, n) ->
            appendRecord(
                shard,
                remoteWrite != null ? Wire.REMOTE_WRITE : Wire.OTLP_METRICS,
                bytes,
                length,
                n);
    long items =
        remoteWrite != null ? remoteWrite.encode(tick, records) : otlpMetrics.encode(tick, records);
    if (LOG.isLoggable(Level.FINE)) {
      LOG.fine("export " + target.name() + ": " + items + " points queued");
    }
    sync();
  }

  /** Spans or log records: each to the shard {@code shardOf} picks, in records of the limit. */
  private <T> void append(
      List<T> items, int type, ToIntFunction<T> shardOf, Function<List<T>, byte[]> encode) {
    List<List<T>> byShard = new ArrayList<>();
    for (int i = 0; i < logs.length; i++) {
      byShard.add(new ArrayList<>());
    }
    for (T item : items) {
      int shard = ExportTarget.shardOf(shardOf.applyAsInt(item), logs.length);
      List<T> pending = byShard.get(shard);
      pending.add(item);
      if (pending.size() >= target.maxSamplesPerSend()) {
        byte[] bytes = encode.apply(pending);
        appendRecord(shard, type, bytes, bytes.length, pending.size());
        pending.clear();
      }
    }
    for (int shard = 0; shard < logs.length; shard++) {
      List<T> pending = byShard.get(shard);
      if (!pending.isEmpty()) {
        byte[] bytes = encode.apply(pending);
        appendRecord(shard, type, bytes, bytes.length, pending.size());
      }
    }
    unsynced = true;
    refresh();
    for (ShardSender s : senders) {
      s.pump();
    }
  }

  private void appendRecord(int shard, int type, byte[] bytes, int length, int items) {
    Signal signal = Wire.signal(type);
    try {
      logs[shard].append(type, items, System.currentTimeMillis(), bytes, 0, length);
      stats.encoded(signal, items);
    } catch (IOException e) {
      stats.dropped(signal, ExportStats.Dropped.CORRUPT, items);
      LOG.log(Level.WARNING, "export " + target.name() + ": cannot write its queue", e);
    }
    long dropped = logs[shard].takeDropped();
    if (dropped > 0) {
      stats.dropped(signal, ExportStats.Dropped.QUEUE_FULL, dropped);
    }
  }

  private void syncIfNeeded() {
    if (unsynced) {
      sync();
    }
  }

  /** Forces every queue to disk, then lets the senders go on. */
  private void sync() {
    unsynced = false;
    for (SegmentLog log : logs) {
      try {
        log.sync();
      } catch (IOException e) {
        LOG.log(Level.WARNING, "export " + target.name() + ": cannot sync its queue", e);
      }
    }
    refresh();
    for (ShardSender s : senders) {
      s.pump();
    }
  }

  /** Updates the target's gauges from its queues. */
  private void refresh() {
    long bytes = 0;
    long oldest = 0;
    for (SegmentLog log : logs) {
      bytes += log.unsentBytes();
      try {
        long o = log.oldestUnsentMillis();
        if (o > 0 && (oldest == 0 || o < oldest)) {
          oldest = o;
        }
      } catch (IOException e) {
        // the gauge keeps its last value; the sender reports the queue
      }
    }
    stats.queueBytes.set(bytes);
    stats.oldestUnsentMillis.set(oldest);
  }

  @Override
  public Future<?> stop() throws IOException {
    vertx.cancelTimer(syncTimer);
    for (MessageConsumer<?> c : consumers) {
      c.unregister();
    }
    for (ShardSender s : senders) {
      s.close();
    }
    IOException first = null;
    for (SegmentLog log : logs) {
      try {
        log.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    Future<Void> closed = client.close();
    if (first != null) {
      throw first;
    }
    return closed;
  }
}
