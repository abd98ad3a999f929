package dev.tally.verticles.bus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what waits for one consumer (the trace or log store): a count of batches of its own, and
 * their estimated bytes in the byte bound the shards' queues share ({@link ShardRouter}), so that
 * everything waiting for a consumer counts against one heap bound. Thread-safe.
 */
public final class Inbox {
  private final int capacity;
  private final ShardRouter bytes;
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * @param capacity batches that may wait, at least 1
   * @param bytes the router whose byte bound the batches' bytes count against
   */
  public Inbox(int capacity, ShardRouter bytes) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.bytes = bytes;
  }

  /**
   * Takes a place and {@code batchBytes} of the byte bound (0 when the caller takes them with other
   * bytes in one reservation); false, with nothing taken, if either is full.
   */
  public boolean tryReserve(long batchBytes) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return false;
    }
    if (batchBytes > 0 && !bytes.tryReserveBytes(batchBytes)) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Gives back the place and the bytes of a batch the consumer has taken (or that was not sent).
   */
  public void release(long batchBytes) {
    pending.decrementAndGet();
    bytes.releaseBytes(batchBytes);
  }

  /** True if no batch could be taken now: every place is taken or the byte bound is reached. */
  public boolean saturated() {
    return pending.get() >= capacity || bytes.pendingBytes() >= bytes.maxPendingBytes();
  }
}
