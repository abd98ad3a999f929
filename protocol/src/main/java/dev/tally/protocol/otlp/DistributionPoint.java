package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;

/**
 * What the two histogram points share: temporality, count and sum of the recorded values. For a
 * delta point they are increments over the point's interval.
 */
public abstract class DistributionPoint extends OtlpPoint {
  private final boolean delta;
  private final long count;
  private final double sum;

  DistributionPoint(
      SeriesKey key,
      String help,
      long startNanos,
      long timeNanos,
      boolean delta,
      long count,
      double sum) {
    super(key, help, startNanos, timeNanos);
    this.delta = delta;
    this.count = count;
    this.sum = sum;
  }

  @Override
  public boolean cumulativeStream() {
    return !delta;
  }

  /** True if the counts and the sum are increments over the point's interval. */
  public boolean delta() {
    return delta;
  }

  public long count() {
    return count;
  }

  /** The sum of the recorded values; 0 if the point had none. */
  public double sum() {
    return sum;
  }
}
