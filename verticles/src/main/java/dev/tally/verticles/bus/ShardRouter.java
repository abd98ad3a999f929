package dev.tally.verticles.bus;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maps a series' routing hash to its shard and bounds the batches in flight to each shard. Shared
 * by every ingest thread and every shard; thread-safe.
 */
public final class ShardRouter implements MeterBinder {
  private final int shards;
  private final int maxPending;
  private final int retryableLimit; // three quarters of maxPending: see tryReserveRetryable
  private final AtomicIntegerArray pending;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final long maxPendingBytes;

  /**
   * @param shards the number of aggregation shards, at least 1
   * @param maxPending batches that may wait for one shard before more are dropped, at least 1
   */
  public ShardRouter(int shards, int maxPending) {
    this(shards, maxPending, Long.MAX_VALUE);
  }

  /**
   * @param shards the number of aggregation shards, at least 1
   * @param maxPending batches that may wait for one shard before more are dropped, at least 1
   * @param maxPendingBytes bytes of variable-size batches (OTLP) that may wait for all shards
   */
  public ShardRouter(int shards, int maxPending, long maxPendingBytes) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, was " + shards);
    }
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be >= 1, was " + maxPending);
    }
    this.shards = shards;
    this.maxPending = maxPending;
    this.retryableLimit = Math.max(1, maxPending - maxPending / 4);
    this.pending = new AtomicIntegerArray(shards);
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * Takes {@code bytes} of the byte bound shared by all shards; false if they do not fit (one
   * request larger than the whole bound still fits when nothing else waits, so it is never refused
   * for ever).
   */
  public boolean tryReserveBytes(long bytes) {
    long after = pendingBytes.addAndGet(bytes);
    if (after > maxPendingBytes && after != bytes) {
      pendingBytes.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  /** Gives back bytes a shard has taken. */
  public void releaseBytes(long bytes) {
    pendingBytes.addAndGet(-bytes);
  }

  /**
   * True if no request could be taken now: the byte bound is reached, or every shard's queue is
   * full. A cheap look before the work of decoding a request that would be refused anyway.
   */
  public boolean saturated() {
    if (pendingBytes.get() >= maxPendingBytes) {
      return true;
    }
    for (int s = 0; s < shards; s++) {
      if (pending.get(s) < retryableLimit) {
        return false;
      }
    }
    return true;
  }

  /** Bytes of variable-size batches now waiting for the shards. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  public long maxPendingBytes() {
    return maxPendingBytes;
  }

  public int shards() {
    return shards;
  }

  /** Batches that may wait for one shard. */
  public int maxPending() {
    return maxPending;
  }

  /** The shard of a routing hash. */
  public int shardOf(int hash) {
    return Math.floorMod(hash, shards);
  }

  /** Takes a place in the shard's queue; false if it is full (the caller drops and counts). */
  public boolean tryReserve(int shard) {
    return tryReserve(shard, maxPending);
  }

  /**
   * Takes a place in the shard's queue even if it is full, for a sender that stops sending while
   * {@link #depth} is at {@link #maxPending()} (the StatsD readers): the queue exceeds its bound by
   * at most what such a sender sends between two looks.
   */
  public void reserve(int shard) {
    pending.incrementAndGet(shard);
  }

  /**
   * Takes a place for a batch whose sender can retry (OTLP, answered UNAVAILABLE when refused):
   * only while the queue is under three quarters full. The last quarter is kept for StatsD, which
   * cannot retry, so that an OTLP overload does not make the shards drop StatsD samples.
   */
  public boolean tryReserveRetryable(int shard) {
    return tryReserve(shard, retryableLimit);
  }

  private boolean tryReserve(int shard, int limit) {
    if (pending.incrementAndGet(shard) > limit) {
      pending.decrementAndGet(shard);
      return false;
    }
    return true;
  }

  /** Gives back the place of a batch the shard has taken. */
  public void release(int shard) {
    pending.decrementAndGet(shard);
  }

  /** Batches now waiting for {@code shard}. */
  public int depth(int shard) {
    return pending.get(shard);
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(
        r,
        "tally_shard_queue_bytes",
        "Estimated heap of what waits for the shards and the trace and log stores, all together: OTLP points, spans, log records and, clustered, other nodes' deltas.",
        this,
        ShardRouter::pendingBytes);
    SelfMeters.gauge(
        r,
        "tally_shard_queue_bytes_limit",
        "The bound of tally_shard_queue_bytes (shard-queue-bytes).",
        this,
        ShardRouter::maxPendingBytes);
    for (int shard = 0; shard < shards(); shard++) {
      int s = shard;
      SelfMeters.gauge(
          r,
          "tally_shard_queue_depth",
          "Batches waiting for each aggregation shard.",
          this,
          router -> router.depth(s),
          "shard",
          Integer.toString(shard));
    }
  }
}
