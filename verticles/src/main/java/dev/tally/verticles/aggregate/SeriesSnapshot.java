package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import java.util.List;

/**
 * The state of one series at a tick. Immutable; a series that did not change between two ticks
 * keeps the same instance.
 *
 * <p>Histogram values (timers in milliseconds, distributions unitless) are in the unit the samples
 * were sent in.
 */
public final class SeriesSnapshot {
  /** The quantiles of timers and distributions, as fractions. */
  public static final List<Double> QUANTILES = List.of(0.5, 0.9, 0.95, 0.99, 0.999);

  private final SeriesKey key;
  private final String family;
  private final String labels;
  private final long tickMillis;
  private final double value;
  private final double rate;
  private final double count;
  private final double sum;
  private final double min;
  private final double max;
  private final double[] quantiles;

  SeriesSnapshot(
      Series series,
      long tickMillis,
      double value,
      double rate,
      double count,
      double sum,
      double min,
      double max,
      double[] quantiles) {
    this.key = series.key;
    this.family = series.family;
    this.labels = series.labels;
    this.tickMillis = tickMillis;
    this.value = value;
    this.rate = rate;
    this.count = count;
    this.sum = sum;
    this.min = min;
    this.max = max;
    this.quantiles = quantiles;
  }

  public SeriesKey key() {
    return key;
  }

  public MetricKind kind() {
    return key.kind();
  }

  /** The exposed family name ({@code x_total}, {@code x_seconds}, {@code x}). */
  public String family() {
    return family;
  }

  /** The labels, formatted and escaped for the Prometheus text format ({@code a="x",b="y"}). */
  public String labels() {
    return labels;
  }

  /** The tick (epoch milliseconds) at which this state was taken. */
  public long tickMillis() {
    return tickMillis;
  }

  /** Counter: cumulative total; gauge: last value; set: distinct members in the last tick. */
  public double value() {
    return value;
  }

  /** Counter: increase per second over the last tick; 0 for other kinds. */
  public double rate() {
    return rate;
  }

  /** Timer/distribution: cumulative count of samples, weighted by 1/sample rate. */
  public double count() {
    return count;
  }

  /** Timer/distribution: cumulative sum of sample values, weighted by 1/sample rate. */
  public double sum() {
    return sum;
  }

  /** Timer/distribution: smallest value of the last tick; NaN if it had none. */
  public double min() {
    return min;
  }

  /** Timer/distribution: largest value of the last tick; NaN if it had none. */
  public double max() {
    return max;
  }

  /**
   * Timer/distribution: the value at {@code QUANTILES.get(index)} over the sliding window; NaN if
   * the window holds no sample.
   */
  public double quantile(int index) {
    return quantile(index, 1);
  }

  /**
   * As {@link #quantile(int)}, divided by {@code divisor} in one step (timers in seconds: 1000), so
   * that the result is the double nearest to the exact quotient.
   */
  public double quantile(int index, double divisor) {
    // quantiles are held in the histogram's recorded units, thousandths of the sent unit
    return quantiles == null ? Double.NaN : quantiles[index] / (HistogramSeries.SCALE * divisor);
  }
}
