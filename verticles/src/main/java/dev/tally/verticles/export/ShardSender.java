package dev.tally.verticles.export;

import dev.tally.verticles.disk.SegmentLog;
import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one shard's queue to a target, one request at a time, so that each series' samples arrive
 * in the order they were queued: reads records of one kind from the acknowledged position up to
 * {@code maxSamplesPerSend} items, makes them one request ({@link Wire}), and once the target has
 * answered moves the acknowledged position past them. An answer worth retrying (and no answer): the
 * same request again after an exponential backoff with jitter, or after the {@code Retry-After} the
 * target asked for. Any other refusal: the request is dropped and counted, never retried. Runs on
 * its exporter's context (a worker: it reads the queue's files).
 */
final class ShardSender {
  private static final Logger LOG = Logger.getLogger(ShardSender.class.getName());
  private static final RateLimitedLog REJECTS = new RateLimitedLog(LOG, 60_000);
  static final long MIN_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final Wire wire;
  private final ExportTarget target;
  private final SegmentLog log;
  private final ExportStats stats;
  private final Runnable changed;
  private List<SegmentLog.Entry> batch; // read, not yet acknowledged
  private Buffer body;
  private int type;
  private int items;
  private boolean busy; // a request in flight or a retry waiting
  private int attempt;
  private long timer = -1;
  private boolean closed;

  /**
   * @param changed called after the queue's positions moved (for the target's gauges)
   */
  ShardSender(
      Vertx vertx,
      HttpClient client,
      Wire wire,
      ExportTarget target,
      SegmentLog log,
      ExportStats stats,
      Runnable changed) {
    this.vertx = vertx;
    this.client = client;
    this.wire = wire;
    this.target = target;
    this.log = log;
    this.stats = stats;
    this.changed = changed;
  }

  /** Sends what waits, unless a request is in flight or waits to be retried. */
  void pump() {
    if (busy || closed) {
      return;
    }
    if (batch == null) {
      try {
        if (log.drained()) {
          return;
        }
        long corruptBefore = log.corruptBytes();
        batch = log.read(log.acked(), target.maxSamplesPerSend());
        if (log.corruptBytes() > corruptBefore) {
          // items unknown: one per damaged run
          stats.dropped(Signal.METRICS, ExportStats.Dropped.CORRUPT, 1);
        }
        if (batch.isEmpty()) {
          batch = null;
          log.ack(log.end());
          changed.run();
          return;
        }
        type = batch.get(0).type();
        body = wire.body(concat(batch));
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "export " + target.name() + ": cannot read its queue", e);
        batch = null;
        retry(-1);
        return;
      }
      items = 0;
      for (SegmentLog.Entry e : batch) {
        items += e.items();
      }
    }
    send();
  }

  private static byte[] concat(List<SegmentLog.Entry> entries) {
    int n = 0;
    for (SegmentLog.Entry e : entries) {
      n += e.payload().length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (SegmentLog.Entry e : entries) {
      System.arraycopy(e.payload(), 0, out, at, e.payload().length);
      at += e.payload().length;
    }
    return out;
  }

  private void send() {
    busy = true;
    stats.requests.increment();
    RequestOptions request = wire.request(type).setIdleTimeout(target.timeoutMillis());
    for (Map.Entry<String, String> h : target.headers().entrySet()) {
      request.putHeader(h.getKey(), h.getValue());
    }
    client
        .request(request)
        .compose(req -> req.send(body))
        .compose(
            resp ->
                resp.body()
                    .map(b -> new Answer(resp.statusCode(), resp.headers(), resp.trailers(), b)))
        .onComplete(this::answered);
  }

  private record Answer(int status, MultiMap headers, MultiMap trailers, Buffer body) {}

  private void answered(AsyncResult<Answer> ar) {
    busy = false;
    if (closed) {
      return; // sent again after the restart: the receiver takes a sample it has as a duplicate
    }
    Signal signal = Wire.signal(type);
    if (ar.failed()) {
      stats.failed(ExportStats.Failure.NETWORK);
      retry(-1);
      return;
    }
    Answer a = ar.result();
    Wire.Outcome outcome = wire.answer(type, a.status(), a.headers(), a.trailers(), a.body());
    switch (outcome.kind()) {
      case SENT:
        long rejected = Math.min(items, Math.max(0, outcome.rejected()));
        stats.sent(signal, items - rejected);
        if (rejected > 0) {
          stats.dropped(signal, ExportStats.Dropped.REJECTED, rejected);
          reject(rejected + " " + signal.items() + " of a request refused: " + outcome.message());
        }
        stats.lastSuccessMillis.set(System.currentTimeMillis());
        stats.failingSinceMillis.set(0);
        attempt = 0;
        done();
        break;
      case RETRY:
        stats.failed(ExportStats.Failure.SERVER_ERROR);
        retry(outcome.retryAfterMillis());
        break;
      case THROTTLED:
        stats.failed(ExportStats.Failure.THROTTLED);
        retry(outcome.retryAfterMillis());
        break;
      default:
        stats.failed(ExportStats.Failure.CLIENT_ERROR);
        stats.dropped(signal, ExportStats.Dropped.REJECTED, items);
        reject(items + " " + signal.items() + " refused, dropped: " + outcome.message());
        done();
    }
  }

  private void reject(String message) {
    REJECTS.log(Level.WARNING, () -> "export " + target.name() + ": " + message, null);
  }

  /** The batch is through (acknowledged or dropped): on to the next. */
  private void done() {
    try {
      log.ack(batch.get(batch.size() - 1).next());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "export " + target.name() + ": cannot write its acked position", e);
    }
    batch = null;
    body = null;
    changed.run();
    pump();
  }

  private void retry(long afterMillis) {
    if (stats.failingSinceMillis.get() == 0) {
      stats.failingSinceMillis.set(System.currentTimeMillis());
    }
    long delay = afterMillis >= 0 ? afterMillis : backoff(attempt++);
    busy = true;
    timer =
        vertx.setTimer(
            Math.max(1, delay),
            id -> {
              timer = -1;
              busy = false;
              if (closed) {
                return;
              }
              if (batch != null) {
                stats.retried(Wire.signal(type), items);
              }
              pump();
            });
  }

  /** The wait before attempt {@code n + 1}: doubling from the least, at most the most, jittered. */
  static long backoff(int n) {
    long ceiling = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(n, 20));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** Stops sending; a request in flight is left to end unacknowledged. */
  void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
