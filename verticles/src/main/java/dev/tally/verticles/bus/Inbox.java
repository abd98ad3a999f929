package dev.tally.verticles.bus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the batches in flight to one consumer (the trace or log store), as {@link ShardRouter}
 * does for the shards. Thread-safe.
 */
public final class Inbox {
  private final int capacity;
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * @param capacity batches that may wait, at least 1
   */
  public Inbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Takes a place; false if the inbox is full. */
  public boolean tryReserve() {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back the place of a batch the consumer has taken. */
  public void release() {
    pending.decrementAndGet();
  }

  /** Batches waiting now. */
  public int depth() {
    return pending.get();
  }

  public int capacity() {
    return capacity;
  }
}
