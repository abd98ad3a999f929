package dev.tally.verticles.aggregate;

import java.util.Collections;
import java.util.List;

/** Every series of one shard at one tick. Immutable; published on {@code tally.snapshot}. */
public final class ShardSnapshot {
  private final int shard;
  private final long tickMillis;
  private final List<SeriesSnapshot> series;

  ShardSnapshot(int shard, long tickMillis, List<SeriesSnapshot> series) {
    this.shard = shard;
    this.tickMillis = tickMillis;
    this.series = Collections.unmodifiableList(series);
  }

  public int shard() {
    return shard;
  }

  /** The tick, in epoch milliseconds, aligned to a multiple of the tick length. */
  public long tickMillis() {
    return tickMillis;
  }

  public List<SeriesSnapshot> series() {
    return series;
  }
}
