package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.SeriesSnapshot;
import java.util.Collections;
import java.util.List;

/** Every series of every shard at one tick, sorted by family name, then labels. Immutable. */
public final class TickSnapshot {
  private final long tickMillis;
  private final List<SeriesSnapshot> series;

  TickSnapshot(long tickMillis, List<SeriesSnapshot> series) {
    this.tickMillis = tickMillis;
    this.series = Collections.unmodifiableList(series);
  }

  /** The tick, epoch milliseconds. */
  public long tickMillis() {
    return tickMillis;
  }

  public List<SeriesSnapshot> series() {
    return series;
  }
}
