package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;

/**
 * An ExponentialHistogram point. At scale {@code s} the bucket of index {@code i} holds the values
 * in {@code (base^i, base^(i+1)]} with {@code base = 2^(2^-s)}; the positive buckets start at index
 * {@code positiveOffset}, the negative ones (by absolute value) at {@code negativeOffset}. For a
 * delta point the counts are increments. The arrays are never changed.
 */
public final class ExponentialHistogramPoint extends DistributionPoint {
  private final int scale;
  private final long zeroCount;
  private final int positiveOffset;
  private final long[] positive;
  private final int negativeOffset;
  private final long[] negative;

  public ExponentialHistogramPoint(
      SeriesKey key,
      String help,
      long startNanos,
      long timeNanos,
      boolean delta,
      long count,
      double sum,
      int scale,
      long zeroCount,
      int positiveOffset,
      long[] positive,
      int negativeOffset,
      long[] negative) {
    super(key, help, startNanos, timeNanos, delta, count, sum);
    this.scale = scale;
    this.zeroCount = zeroCount;
    this.positiveOffset = positiveOffset;
    this.positive = positive;
    this.negativeOffset = negativeOffset;
    this.negative = negative;
  }

  public int scale() {
    return scale;
  }

  public long zeroCount() {
    return zeroCount;
  }

  public int positiveOffset() {
    return positiveOffset;
  }

  /** Positive bucket counts from {@link #positiveOffset()}; do not modify. */
  public long[] positive() {
    return positive;
  }

  public int negativeOffset() {
    return negativeOffset;
  }

  /** Negative bucket counts from {@link #negativeOffset()}; do not modify. */
  public long[] negative() {
    return negative;
  }

  /**
   * The value that stands for bucket {@code index} at {@code scale}: the geometric middle of its
   * bounds, within half the bucket's relative width of any value in it.
   */
  public static double midpoint(int scale, int index) {
    return Math.pow(2, (index + 0.5) * Math.pow(2, -scale));
  }

  @Override
  public long valueBytes() {
    return 16 + 8L * positive.length + 16 + 8L * negative.length;
  }
}
