package dev.tally.verticles.aggregate;

import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import java.util.Collections;
import java.util.List;

/**
 * Every series of one shard at one tick (those this node owns, when clustered). Immutable;
 * published on {@code tally.snapshot}.
 */
public final class ShardSnapshot {
  private final int shard;
  private final long tickMillis;
  private final List<SeriesSnapshot> series;
  private final List<SeriesDelta> outgoing;

  ShardSnapshot(
      int shard, long tickMillis, List<SeriesSnapshot> series, List<SeriesDelta> outgoing) {
    this.shard = shard;
    this.tickMillis = tickMillis;
    this.series = Collections.unmodifiableList(series);
    this.outgoing = Collections.unmodifiableList(outgoing);
  }

  /**
   * What the shard gathered this tick of series other nodes own, for them (empty unless clustered).
   */
  public List<SeriesDelta> outgoing() {
    return outgoing;
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
