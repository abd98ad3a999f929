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
    /**
     * The target refused them with an answer that retrying cannot change (a 4xx but 429; a gRPC
     * status not worth retrying; an OTLP partial success's rejected items).
     */
    REJECTED,
    /** A record on disk failed its checksum. */
    CORRUPT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Why a request failed. */
  public enum Failure {
    /** 5xx, or a gRPC status worth retrying (UNAVAILABLE, DEADLINE_EXCEEDED...). */
    SERVER_ERROR,
    /** 429, or gRPC RESOURCE_EXHAUSTED. */
    THROTTLED,
    /** Another 4xx or gRPC status (not retried). */
    CLIENT_ERROR,
    /** No answer in the target's timeout, or the connection failed. */
    NETWORK;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String target;
  private final java.util.Set<Signal> signals;
  private final LongAdder[] sent = adders(Signal.values().length);
  private final LongAdder[] retried = adders(Signal.values().length);
  private final LongAdder[] encoded = adders(Signal.values().length);
  final LongAdder requests = new LongAdder();
  private final LongAdder[] dropped = adders(Signal.values().length * Dropped.values().length);
  private final LongAdder[] failed = adders(Failure.values().length);
  final AtomicLong queueBytes = new AtomicLong();
  final AtomicLong oldestUnsentMillis = new AtomicLong();
  final AtomicLong lastSuccessMillis = new AtomicLong();

  /** When the current run of failures began (epoch ms); 0 while the last request succeeded. */
  final AtomicLong failingSinceMillis = new AtomicLong();

  /**
   * @param signals what the target takes: each has its counters
   */
  public ExportStats(String target, java.util.Set<Signal> signals) {
    this.target = target;
    this.signals = java.util.EnumSet.copyOf(signals);
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] out = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      out[i] = new LongAdder();
    }
    return out;
  }

  private LongAdder droppedAdder(Signal signal, Dropped reason) {
    return dropped[signal.ordinal() * Dropped.values().length + reason.ordinal()];
  }

  void dropped(Signal signal, Dropped reason, long items) {
    droppedAdder(signal, reason).add(items);
  }

  void sent(Signal signal, long items) {
    sent[signal.ordinal()].add(items);
  }

  void retried(Signal signal, long items) {
    retried[signal.ordinal()].add(items);
  }

  void encoded(Signal signal, long items) {
    encoded[signal.ordinal()].add(items);
  }

  void failed(Failure reason) {
    failed[reason.ordinal()].increment();
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

  /** How a target is doing. */
  public enum State {
    /** Its last request got through (or none has been needed). */
    OK,
    /** Its requests have failed for less than the degraded-after time. */
    FAILING,
    /** Its requests have failed for longer. */
    DEGRADED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The target's state at {@code nowMillis}. */
  public State state(long nowMillis, long degradedAfterMillis) {
    long since = failingSinceMillis.get();
    if (since == 0) {
      return State.OK;
    }
    return nowMillis - since >= degradedAfterMillis ? State.DEGRADED : State.FAILING;
  }

  /** Append time of the oldest record not yet acknowledged (epoch ms); 0 if none waits. */
  public long oldestUnsentMillis() {
    return oldestUnsentMillis.get();
  }

  /** Bytes the queue holds unsent. */
  public long queueBytes() {
    return queueBytes.get();
  }

  @Override
  public void bindTo(MeterRegistry r) {
    for (Signal signal : signals) {
      int k = signal.ordinal();
      String[] tags = {"target", target, "signal", signal.items()};
      SelfMeters.counter(
          r,
          "tally_export_encoded_total",
          "Items (samples, spans, logs) written to the target's queue.",
          encoded[k],
          LongAdder::sum,
          tags);
      SelfMeters.counter(
          r,
          "tally_export_sent_total",
          "Items the target acknowledged.",
          sent[k],
          LongAdder::sum,
          tags);
      SelfMeters.counter(
          r,
          "tally_export_retried_total",
          "Items sent again after a request failed with an answer worth retrying (5xx, 429, UNAVAILABLE, no answer).",
          retried[k],
          LongAdder::sum,
          tags);
      for (Dropped d : Dropped.values()) {
        SelfMeters.counter(
            r,
            "tally_export_dropped_total",
            "Items given up, by reason: queue_full (oldest segments deleted unsent), rejected (refused by the target, not retried), corrupt (failed checksum).",
            droppedAdder(signal, d),
            LongAdder::sum,
            "target",
            target,
            "signal",
            signal.items(),
            "reason",
            d.label());
      }
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
          "Requests that failed, by reason: server_error (5xx; gRPC UNAVAILABLE and other retryable statuses), throttled (429; RESOURCE_EXHAUSTED), client_error (other 4xx and gRPC statuses), network (no answer in time, connection failed).",
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
