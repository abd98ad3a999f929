package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;

/** A Summary point: count, sum, and the values at the given quantiles. Arrays never changed. */
public final class SummaryPoint extends OtlpPoint {
  private final long count;
  private final double sum;
  private final double[] quantiles;
  private final double[] values;

  public SummaryPoint(
      SeriesKey key,
      String help,
      long startNanos,
      long timeNanos,
      long count,
      double sum,
      double[] quantiles,
      double[] values) {
    super(key, help, startNanos, timeNanos);
    this.count = count;
    this.sum = sum;
    this.quantiles = quantiles;
    this.values = values;
  }

  /** False: a summary shows its last point, which an overflow series can show as well. */
  @Override
  public boolean cumulativeStream() {
    return false;
  }

  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  /** The quantiles, each in [0, 1]; do not modify. */
  public double[] quantiles() {
    return quantiles;
  }

  /** The value at each quantile; do not modify. */
  public double[] values() {
    return values;
  }

  @Override
  public long valueBytes() {
    return 16 + 8L * quantiles.length + 16 + 8L * values.length;
  }
}
