package dev.tally.verticles.logs;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The log store's counters and gauges, written by the store's owner, bound to {@code /metrics} as
 * meters.
 */
public final class LogStoreStats implements MeterBinder {
  final AtomicLong records = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final LongAdder evicted = new LongAdder();
  private final LongAdder dropped = new LongAdder();

  /**
   * Counts records dropped before the store because its inbox was full (StatsD events; OTLP
   * requests are refused for a retry instead). Any thread.
   */
  public void addDropped(long records) {
    dropped.add(records);
  }

  public long dropped() {
    return dropped.sum();
  }

  /** Records held now. */
  public long records() {
    return records.get();
  }

  /** Estimated heap of the records held now. */
  public long bytes() {
    return bytes.get();
  }

  /** Records evicted to stay within the bounds, oldest first. */
  public long evicted() {
    return evicted.sum();
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(r, "tally_log_store_records", "Log records the log store holds.", records);
    SelfMeters.gauge(
        r,
        "tally_log_store_bytes",
        "Estimated heap of the log records the log store holds.",
        bytes);
    SelfMeters.counter(
        r,
        "tally_log_store_evicted_records_total",
        "Log records evicted from the log store at its record or byte bound, oldest first.",
        evicted);
    SelfMeters.counter(
        r,
        "tally_log_store_dropped_records_total",
        "Log records of StatsD events dropped because the log store's queue or the shared byte bound was full.",
        dropped);
  }
}
