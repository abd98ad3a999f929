package dev.tally.verticles.export;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The self-metrics of one export target, tagged {@code target=<name>}. Written by the target's
 * exporter alone, read when the registry is scraped.
 */
public final class ExportStats implements MeterBinder {
  /** Why items were given up. */
  public enum Dropped {
    /** The queue was over its bound: its oldest segments went unsent. */
    QUEUE_FULL,
    /** The target refused them with an answer that retrying cannot change (a 4xx but 429). */
    REJECTED,
    /** A record on disk failed its checksum. */
    CORRUPT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a request failed. */
  public enum Failure {
    /** 5xx. */
    SERVER_ERROR,
    /** 429. */
    THROTTLED,
    /** Another 4xx (not retried). */
    CLIENT_ERROR,
    /** No answer in the target's timeout, or the connection failed. */
    NETWORK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String target;
  private final String signal;
  final LongAdder sent = new LongAdder();
  final LongAdder retried = new LongAdder();
  final LongAdder encoded = new LongAdder();
  final LongAdder requests = new LongAdder();
  private final LongAdder[] dropped = new LongAdder[Dropped.values().length];
  private final LongAdder[] failed = new LongAdder[Failure.values().length];
  final AtomicLong queueBytes = new AtomicLong();
  final AtomicLong oldestUnsentMillis = new AtomicLong();
  final AtomicLong lastSuccessMillis = new AtomicLong();

  /** When the current run of failures began (epoch ms); 0 while the last request succeeded. */
  final AtomicLong failingSinceMillis = new AtomicLong();

  /**
   * @param signal what the items are: {@code samples}, {@code spans} or {@code logs}
   */
  public ExportStats(String target, String signal) {
    this.target = target;
    this.signal = signal;
    for (int i = 0; i < dropped.length; i++) {
      dropped[i] = new LongAdder();
    }
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new LongAdder();
    }
  }

  void dropped(Dropped reason, long items) {
    dropped[reason.ordinal()].add(items);
  }

  void failed(Failure reason) {
    failed[reason.ordinal()].increment();
  }

  public long dropped(Dropped reason) {
    return dropped[reason.ordinal()].sum();
  }

  public long sent() {
    return sent.sum();
  }

  /** The target's name. */
  public String target() {
    return target;
  }

  /** When the current run of failures began (epoch ms); 0 while the last request succeeded. */
  public long failingSinceMillis() {
    return failingSinceMillis.get();
  }

  /** When a request last succeeded (epoch ms); 0 if none has. */
  public long lastSuccessMillis() {
    return lastSuccessMillis.get();
  }

  /** Bytes the queue holds unsent. */
  public long queueBytes() {
    return queueBytes.get();
  }

  @Override
  public void bindTo(MeterRegistry r) {
    String[] tags = {"target", target, "signal", signal};
    SelfMeters.counter(
        r,
        "tally_export_encoded_total",
        "Items (samples, spans, log records) written to the target's queue.",
        encoded,
        LongAdder::sum,
        tags);
    SelfMeters.counter(
        r, "tally_export_sent_total", "Items the target acknowledged.", sent, LongAdder::sum, tags);
    SelfMeters.counter(
        r,
        "tally_export_retried_total",
        "Items sent again after a request failed with an answer worth retrying (5xx, 429, no answer).",
        retried,
        LongAdder::sum,
        tags);
    for (Dropped d : Dropped.values()) {
      SelfMeters.counter(
          r,
          "tally_export_dropped_total",
          "Items given up, by reason: queue_full (oldest segments deleted unsent), rejected (4xx but 429), corrupt (failed checksum).",
          dropped[d.ordinal()],
          LongAdder::sum,
          "target",
          target,
          "signal",
          signal,
          "reason",
          d.label());
    }
    SelfMeters.counter(
        r,
        "tally_export_requests_total",
        "Requests sent to the target, answered or not.",
        requests,
        LongAdder::sum,
        "target",
        target);
    for (Failure f : Failure.values()) {
      SelfMeters.counter(
          r,
          "tally_export_request_failures_total",
          "Requests that failed, by reason: server_error (5xx), throttled (429), client_error (other 4xx), network (no answer in time, connection failed).",
          failed[f.ordinal()],
          LongAdder::sum,
          "target",
          target,
          "reason",
          f.label());
    }
    SelfMeters.gauge(
        r,
        "tally_export_queue_bytes",
        "Bytes of the target's queue on disk not yet acknowledged.",
        queueBytes,
        AtomicLong::get,
        "target",
        target);
    SelfMeters.gauge(
        r,
        "tally_export_oldest_unsent_age_seconds",
        "Age of the oldest record in the target's queue not yet acknowledged; 0 when none waits.",
        oldestUnsentMillis,
        v -> v.get() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - v.get()) / 1000.0,
        "target",
        target);
    SelfMeters.gauge(
        r,
        "tally_export_last_success_timestamp_seconds",
        "When a request to the target last succeeded (Unix time); 0 before the first.",
        lastSuccessMillis,
        v -> v.get() / 1000.0,
        "target",
        target);
  }
}
