package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;

/**
 * Which series this node owns, when it is one of a cluster's nodes (issue 10). A shard asks again
 * for a series only when {@link #epoch()} is another object than when it last asked, so the answer
 * costs nothing per tick while the members stay the same. Thread-safe.
 */
public interface Ownership {
  /** An object that is replaced whenever owners may have changed (the members' ring). */
  Object epoch();

  /** True if this node owns the series. */
  boolean owns(SeriesKey key);

  /** This node owns every series, or none (benchmarks and tests of one node's side). */
  static Ownership fixed(boolean ownsAll) {
    Boolean epoch = ownsAll;
    return new Ownership() {
      @Override
      public Object epoch() {
        return epoch;
      }

      @Override
      public boolean owns(SeriesKey key) {
        return ownsAll;
      }
    };
  }
}
