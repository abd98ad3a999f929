package dev.tally.verticles.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Every series of every shard at one tick ({@code tally.tick}), or of every node of a cluster
 * ({@code tally.tick.global}, see {@code cluster.ClusterTicks}), sorted by family name, then
 * labels, then kind; one series per key and per family and labels (of two kinds under one name, the
 * first in {@code MetricKind} order). Immutable.
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

  /**
   * The tick of {@code all} series, sorted (a stable sort: of equal ones the first given comes
   * first); two of the same key become {@code sameKey.apply(first, second)}; of two kinds under one
   * name and labels (a StatsD gauge and distribution both named x), as in /metrics, the first kind
   * in {@code MetricKind} order is kept and the other counted, so that a key names one series.
   * Sorts {@code all} in place.
   */
  public static TickSnapshot of(
      long tick, List<SeriesSnapshot> all, BinaryOperator<SeriesSnapshot> sameKey) {
    all.sort(SeriesSnapshot.ORDER); // each shard's run comes sorted: a merge
    List<SeriesSnapshot> unique = new ArrayList<>(all.size());
    int conflicts = 0;
    for (SeriesSnapshot s : all) {
      int last = unique.size() - 1;
      SeriesSnapshot prev = last < 0 ? null : unique.get(last);
      if (prev != null && prev.key().equals(s.key())) {
        unique.set(last, sameKey.apply(prev, s));
      } else if (prev == null
          || !prev.family().equals(s.family())
          || !prev.labels().equals(s.labels())) {
        unique.add(s);
      } else {
        conflicts++;
      }
    }
    return new TickSnapshot(tick, unique, conflicts);
  }

  /** No series, at tick 0: what there is before the first tick. */
  public static TickSnapshot empty() {
    return new TickSnapshot(0, List.of(), 0);
  }

  /**
   * The series of {@code family} and {@code labels} (as the exposition writes them); null if there
   * is none. A binary search: the series are sorted by family, then labels, one per pair.
   */
  public SeriesSnapshot find(String family, String labels) {
    int lo = 0;
    int hi = series.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      SeriesSnapshot s = series.get(mid);
      int c = s.family().compareTo(family);
      if (c == 0) {
        c = s.labels().compareTo(labels);
      }
      if (c == 0) {
        return s;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return null;
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
