package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;

/**
 * An explicit-bucket Histogram point: {@code bounds.length + 1} bucket counts (the last one above
 * the highest bound), the count and the sum. Counts are per bucket, not cumulative over buckets;
 * for a delta point they are increments. The arrays are owned by the point and never changed.
 */
public final class HistogramPoint extends DistributionPoint {
  private final double[] bounds;
  private final long[] bucketCounts;

  public HistogramPoint(
      SeriesKey key,
      String help,
      long startNanos,
      long timeNanos,
      boolean delta,
      long count,
      double sum,
      double[] bounds,
      long[] bucketCounts) {
    super(key, help, startNanos, timeNanos, delta, count, sum);
    this.bounds = bounds;
    this.bucketCounts = bucketCounts;
  }

  /** The upper bounds, strictly increasing; do not modify. */
  public double[] bounds() {
    return bounds;
  }

  /** The count of each bucket, {@code bounds().length + 1} of them; do not modify. */
  public long[] bucketCounts() {
    return bucketCounts;
  }

  @Override
  public long valueBytes() {
    return 16 + 8L * bounds.length + 16 + 8L * bucketCounts.length;
  }
}
