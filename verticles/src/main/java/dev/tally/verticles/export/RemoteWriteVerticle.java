package dev.tally.verticles.export;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.bus.Addresses;
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
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Exports every series this node shows on {@code /metrics} to one Prometheus remote-write target:
 * at the first tick of each export interval it encodes the tick ({@link RemoteWriteBatches}),
 * appends the records to the target's queues on disk (one {@link SegmentLog} per shard), syncs
 * them, and lets each shard's {@link ShardSender} send. The target's queues, encoder and senders
 * are this verticle's alone. Deployed as a worker: it encodes whole ticks and does file I/O, which
 * no event loop may wait for; a slow or dead target holds back nothing but its own queue.
 */
public final class RemoteWriteVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RemoteWriteVerticle.class.getName());
  private static final long MAX_SEGMENT_BYTES = 64L << 20;

  private final ExportTarget target;
  private final ExportOptions options;
  private final ExportStats stats;
  private final Predicate<SeriesKey> owned;
  private SegmentLog[] logs;
  private ShardSender[] senders;
  private RemoteWriteBatches batches;
  private HttpClient client;
  private MessageConsumer<TickSnapshot> ticks;
  private long window = Long.MIN_VALUE;

  /**
   * @param owned true for the series this node owns (clustered; else every series), asked about
   *     series that left the tick; thread-safe
   */
  public RemoteWriteVerticle(
      ExportTarget target, ExportOptions options, ExportStats stats, Predicate<SeriesKey> owned) {
    this.target = target;
    this.options = options;
    this.stats = stats;
    this.owned = owned;
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
    client = vertx.createHttpClient(clientOptions(), new PoolOptions().setHttp1MaxSize(shards));
    senders = new ShardSender[shards];
    for (int i = 0; i < shards; i++) {
      senders[i] = new ShardSender(vertx, client, target, logs[i], stats, this::refresh);
    }
    batches = new RemoteWriteBatches(target.match(), shards, target.maxSamplesPerSend(), owned);
    refresh();
    for (ShardSender s : senders) {
      s.pump(); // what a previous run left unsent
    }
    ticks = vertx.eventBus().localConsumer(Addresses.TICK, m -> onTick(m.body()));
    return ticks.completion();
  }

  private HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions().setKeepAlive(true);
    if ("https".equalsIgnoreCase(target.url().getScheme())) {
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
    try {
      long samples =
          batches.encode(
              tick,
              (shard, bytes, length, n) -> {
                try {
                  logs[shard].append(1, n, System.currentTimeMillis(), bytes, 0, length);
                  stats.encoded.add(n);
                } catch (IOException e) {
                  throw new QueueWriteException(e);
                }
              });
      for (SegmentLog log : logs) {
        long[] dropped = log.takeDropped();
        stats.dropped(ExportStats.Dropped.QUEUE_FULL, dropped[0]);
        log.sync();
      }
      if (LOG.isLoggable(Level.FINE)) {
        LOG.fine("export " + target.name() + ": " + samples + " samples queued");
      }
    } catch (IOException | QueueWriteException e) {
      LOG.log(Level.WARNING, "export " + target.name() + ": cannot write its queue", e);
    }
    refresh();
    for (ShardSender s : senders) {
      s.pump();
    }
  }

  /** An append that failed, out of the encoder's callback. */
  private static final class QueueWriteException extends RuntimeException {
    QueueWriteException(IOException cause) {
      super(cause);
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
