package dev.tally.verticles.logs;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The log store's counters and gauges, written by the store's owner, read by {@code /metrics}. */
public final class LogStoreStats {
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
}
