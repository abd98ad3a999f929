package dev.tally.verticles.export;

import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xerial.snappy.Snappy;

/**
 * Sends one shard's queue to a remote-write target, one request at a time, so that each series'
 * samples arrive in the order they were queued: reads records from the acknowledged position up to
 * {@code maxSamplesPerSend}, posts them as one snappy-compressed {@code WriteRequest}, and on a 2xx
 * moves the acknowledged position past them. 5xx, 429 and no answer: the same request again after
 * an exponential backoff with jitter, or after the {@code Retry-After} the target asked for. Any
 * other answer (400 for an out-of-order sample, 401, 413...): the request is dropped and counted,
 * never retried. Runs on its exporter's context (a worker: it reads the queue's files).
 */
final class ShardSender {
  private static final Logger LOG = Logger.getLogger(ShardSender.class.getName());
  private static final RateLimitedLog REJECTS = new RateLimitedLog(LOG, 60_000);
  static final long MIN_BACKOFF_MILLIS = 100;
  static final long MAX_BACKOFF_MILLIS = 10_000;
  static final long MAX_RETRY_AFTER_MILLIS = 300_000;

  private final Vertx vertx;
  private final HttpClient client;
  private final ExportTarget target;
  private final SegmentLog log;
  private final ExportStats stats;
  private final Runnable changed;
  private List<SegmentLog.Entry> batch; // read, not yet acknowledged
  private Buffer body;
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
      ExportTarget target,
      SegmentLog log,
      ExportStats stats,
      Runnable changed) {
    this.vertx = vertx;
    this.client = client;
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
          stats.dropped(ExportStats.Dropped.CORRUPT, 1); // items unknown: one per damaged run
        }
        if (batch.isEmpty()) {
          batch = null;
          log.ack(log.end());
          changed.run();
          return;
        }
        body = Buffer.buffer(Snappy.compress(concat(batch)));
      } catch (IOException e) {
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
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(target.url().toString())
            .setIdleTimeout(target.timeoutMillis())
            .putHeader("Content-Type", "application/x-protobuf")
            .putHeader("Content-Encoding", "snappy")
            .putHeader("User-Agent", "Tally")
            .putHeader("X-Prometheus-Remote-Write-Version", "0.1.0");
    for (Map.Entry<String, String> h : target.headers().entrySet()) {
      request.putHeader(h.getKey(), h.getValue());
    }
    client
        .request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp, b)))
        .onComplete(this::answered);
  }

  private record Answer(HttpClientResponse response, Buffer body) {}

  private void answered(AsyncResult<Answer> ar) {
    busy = false;
    if (closed) {
      return; // sent again after the restart: the receiver takes a sample it has as a duplicate
    }
    if (ar.failed()) {
      stats.failed(ExportStats.Failure.NETWORK);
      retry(-1);
      return;
    }
    int code = ar.result().response().statusCode();
    if (code / 100 == 2) {
      stats.sent.add(items);
      stats.lastSuccessMillis.set(System.currentTimeMillis());
      stats.failingSinceMillis.set(0);
      attempt = 0;
      done();
      return;
    }
    if (code == 429 || code / 100 == 5) {
      stats.failed(code == 429 ? ExportStats.Failure.THROTTLED : ExportStats.Failure.SERVER_ERROR);
      retry(retryAfter(ar.result().response().getHeader("Retry-After")));
      return;
    }
    stats.failed(ExportStats.Failure.CLIENT_ERROR);
    stats.dropped(ExportStats.Dropped.REJECTED, items);
    int n = items;
    String text = ar.result().body().toString();
    REJECTS.log(
        Level.WARNING,
        () ->
            "export "
                + target.name()
                + ": "
                + n
                + " samples rejected with "
                + code
                + ", dropped: "
                + (text.length() > 300 ? text.substring(0, 300) + "..." : text).strip(),
        null);
    done();
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
                stats.retried.add(items);
              }
              pump();
            });
  }

  /** The wait before attempt {@code n + 1}: doubling from the least, at most the most, jittered. */
  static long backoff(int n) {
    long ceiling = Math.min(MAX_BACKOFF_MILLIS, MIN_BACKOFF_MILLIS << Math.min(n, 20));
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** A {@code Retry-After} in milliseconds (seconds or an HTTP date); -1 if none or not valid. */
  static long retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, Long.parseLong(value.trim()) * 1000));
    } catch (NumberFormatException e) {
      try {
        long at =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant()
                .toEpochMilli();
        return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, at - System.currentTimeMillis()));
      } catch (DateTimeParseException d) {
        return -1;
      }
    }
  }

  /** Stops sending; a request in flight is left to end unacknowledged. */
  void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
