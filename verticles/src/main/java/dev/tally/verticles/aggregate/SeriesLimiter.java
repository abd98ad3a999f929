package dev.tally.verticles.aggregate;

import java.util.concurrent.atomic.AtomicInteger;

/** The global series limit, shared by every shard. Thread-safe. */
public final class SeriesLimiter {
  private final int max;
  private final AtomicInteger used = new AtomicInteger();

  /**
   * @param max the most series over all shards, at least 1
   */
  public SeriesLimiter(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
  }

  /** Takes a place for a new series; false if the limit is reached. */
  public boolean tryAcquire() {
    if (used.incrementAndGet() > max) {
      used.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the place of a removed series. */
  public void release() {
    used.decrementAndGet();
  }

  public int max() {
    return max;
  }
}
