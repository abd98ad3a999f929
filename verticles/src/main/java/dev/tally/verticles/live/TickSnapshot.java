package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.SeriesSnapshot;
import java.util.Collections;
import java.util.List;

/**
 * Every series of every shard at one tick, sorted by family name, then labels, then kind; one
 * series per key (shards' overflow series of one key merged) and per family and labels (of two
 * kinds under one name, the first in {@code MetricKind} order). Immutable; published on {@code
 * tally.tick}.
 */
public final class TickSnapshot {
  private final long tickMillis;
  private final List<SeriesSnapshot> series;
  private final int conflicts;

  TickSnapshot(long tickMillis, List<SeriesSnapshot> series, int conflicts) {
    this.tickMillis = tickMillis;
    this.series = Collections.unmodifiableList(series);
    this.conflicts = conflicts;
  }

  /** Series left out because another kind has the same family name and labels. */
  public int conflicts() {
    return conflicts;
  }

  /** The tick, epoch milliseconds. */
  public long tickMillis() {
    return tickMillis;
  }

  public List<SeriesSnapshot> series() {
    return series;
  }
}
