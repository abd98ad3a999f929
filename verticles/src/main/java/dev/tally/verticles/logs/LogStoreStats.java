package dev.tally.verticles.logs;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The log store's counters and gauges, written by the store's owner, read by {@code /metrics}. */
public final class LogStoreStats {
  final AtomicLong records = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final LongAdder evicted = new LongAdder();

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
