package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.bus.Wire;
import io.vertx.core.buffer.Buffer;
import java.util.Comparator;
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
  private final double quantileScale;
  private final double[] levels;
  private final String help;
  private final double[] bounds;
  private final long[] cumulativeCounts;

  /** A StatsD series' state; histogram quantiles in recorded units (thousandths). */
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
    this(
        series.key,
        series.help,
        series.family,
        series.labels,
        tickMillis,
        value,
        rate,
        count,
        sum,
        min,
        max,
        quantiles,
        HistogramSeries.SCALE,
        HistogramSeries.LEVELS,
        null,
        null);
  }

  private SeriesSnapshot(
      SeriesKey key,
      String help,
      String family,
      String labels,
      long tickMillis,
      double value,
      double rate,
      double count,
      double sum,
      double min,
      double max,
      double[] quantiles,
      double quantileScale,
      double[] levels,
      double[] bounds,
      long[] cumulativeCounts) {
    this.key = key;
    this.help = help;
    this.quantileScale = quantileScale;
    this.levels = levels;
    this.bounds = bounds;
    this.cumulativeCounts = cumulativeCounts;
    this.family = family;
    this.labels = labels;
    this.tickMillis = tickMillis;
    this.value = value;
    this.rate = rate;
    this.count = count;
    this.sum = sum;
    this.min = min;
    this.max = max;
    this.quantiles = quantiles;
  }

  /**
   * A series with quantiles in the unit of its values ({@code quantiles} may be null), at the given
   * levels.
   */
  static SeriesSnapshot quantiles(
      Series series,
      long tickMillis,
      double rate,
      double count,
      double sum,
      double[] levels,
      double[] quantiles) {
    return new SeriesSnapshot(
        series.key,
        series.help,
        series.family,
        series.labels,
        tickMillis,
        0,
        rate,
        count,
        sum,
        Double.NaN,
        Double.NaN,
        quantiles,
        1,
        levels,
        null,
        null);
  }

  /**
   * A histogram with explicit buckets: {@code cumulativeCounts[i]} values are at most {@code
   * bounds[i]}; the count is the {@code +Inf} bucket.
   */
  static SeriesSnapshot buckets(
      Series series,
      long tickMillis,
      double rate,
      long count,
      double sum,
      double[] bounds,
      long[] cumulativeCounts) {
    return new SeriesSnapshot(
        series.key,
        series.help,
        series.family,
        series.labels,
        tickMillis,
        0,
        rate,
        count,
        sum,
        Double.NaN,
        Double.NaN,
        null,
        1,
        HistogramSeries.LEVELS,
        bounds,
        cumulativeCounts);
  }

  /**
   * One snapshot of two shards' series of the same key: overflow series (each shard keeps its own),
   * or a series whose lines came in two spellings that route to two shards: counts, sums, rates and
   * counter or set values add up, bucket counts add up when the bounds agree, a gauge is the later
   * one, and each quantile is the larger of the two (an upper bound: quantiles do not merge
   * exactly).
   */
  public static SeriesSnapshot merge(SeriesSnapshot a, SeriesSnapshot b) {
    MetricKind kind = a.kind();
    boolean gauge = kind == MetricKind.GAUGE || kind == MetricKind.OTLP_GAUGE;
    SeriesSnapshot later = b.tickMillis >= a.tickMillis ? b : a;
    double[] quantiles = a.quantiles == null ? b.quantiles : a.quantiles;
    if (a.quantiles != null && b.quantiles != null && a.quantiles.length == b.quantiles.length) {
      quantiles = new double[a.quantiles.length];
      for (int i = 0; i < quantiles.length; i++) {
        quantiles[i] = Math.max(a.quantiles[i], b.quantiles[i]);
      }
    }
    long[] counts = a.cumulativeCounts;
    if (counts != null && java.util.Arrays.equals(a.bounds, b.bounds)) {
      counts = new long[counts.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = a.cumulativeCounts[i] + b.cumulativeCounts[i];
      }
    }
    return new SeriesSnapshot(
        a.key,
        a.help,
        a.family,
        a.labels,
        later.tickMillis,
        gauge ? later.value : a.value + b.value,
        a.rate + b.rate,
        a.count + b.count,
        a.sum + b.sum,
        Double.isNaN(a.min) ? b.min : Double.isNaN(b.min) ? a.min : Math.min(a.min, b.min),
        Double.isNaN(a.max) ? b.max : Double.isNaN(b.max) ? a.max : Math.max(a.max, b.max),
        quantiles,
        a.quantileScale,
        a.levels,
        a.bounds,
        counts);
  }

  /**
   * Writes this snapshot for another node (see {@link #readFrom}): its key, help, family and
   * labels, then every value as it is held, so that the copy shows exactly what this one shows.
   */
  public void writeTo(Buffer buffer) {
    Wire.key(buffer, key);
    Wire.optional(buffer, help);
    Wire.string(buffer, family);
    Wire.string(buffer, labels);
    buffer
        .appendLong(tickMillis)
        .appendDouble(value)
        .appendDouble(rate)
        .appendDouble(count)
        .appendDouble(sum)
        .appendDouble(min)
        .appendDouble(max)
        .appendDouble(quantileScale);
    Wire.doubles(buffer, quantiles);
    Wire.doubles(buffer, levels == HistogramSeries.LEVELS ? null : levels);
    Wire.doubles(buffer, bounds);
    Wire.longs(buffer, cumulativeCounts);
  }

  /** Reads what {@link #writeTo} wrote at {@code at[0]}, and moves {@code at[0]} past it. */
  public static SeriesSnapshot readFrom(Buffer buffer, int[] at) {
    SeriesKey key = Wire.key(buffer, at);
    String help = Wire.optional(buffer, at);
    String family = Wire.string(buffer, at);
    String labels = Wire.string(buffer, at);
    long tickMillis = Wire.getLong(buffer, at);
    double value = Wire.getDouble(buffer, at);
    double rate = Wire.getDouble(buffer, at);
    double count = Wire.getDouble(buffer, at);
    double sum = Wire.getDouble(buffer, at);
    double min = Wire.getDouble(buffer, at);
    double max = Wire.getDouble(buffer, at);
    double quantileScale = Wire.getDouble(buffer, at);
    double[] quantiles = Wire.doubles(buffer, at);
    double[] levels = Wire.doubles(buffer, at);
    double[] bounds = Wire.doubles(buffer, at);
    long[] cumulativeCounts = Wire.longs(buffer, at);
    levels = levels == null ? HistogramSeries.LEVELS : levels;
    if ((quantiles != null && quantiles.length != levels.length)
        || (bounds == null) != (cumulativeCounts == null)
        || (bounds != null && bounds.length != cumulativeCounts.length)) {
      throw new IllegalStateException("a series snapshot whose arrays do not agree: " + key);
    }
    return new SeriesSnapshot(
        key,
        help,
        family,
        labels,
        tickMillis,
        value,
        rate,
        count,
        sum,
        min,
        max,
        quantiles,
        quantileScale,
        levels,
        bounds,
        cumulativeCounts);
  }

  /**
   * The order of a tick's series: family name, then labels, then kind. Written out: chained
   * comparators cost twice as much.
   */
  public static final Comparator<SeriesSnapshot> ORDER =
      (a, b) -> compare(a.family, a.labels, a.kind(), b.family, b.labels, b.kind());

  static int compare(
      String family,
      String labels,
      MetricKind kind,
      String otherFamily,
      String otherLabels,
      MetricKind otherKind) {
    int c = family.compareTo(otherFamily);
    if (c == 0) {
      c = labels.compareTo(otherLabels);
    }
    return c != 0 ? c : kind.compareTo(otherKind);
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

  /** The OTLP metric's description; null for StatsD series and OTLP metrics without one. */
  public String help() {
    return help;
  }

  /**
   * Counter: increase per second over the last tick; OTLP histogram: observations per second over
   * the last tick; 0 for other kinds.
   */
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

  /** The number of quantiles: 5 for timers and distributions, as sent for OTLP summaries. */
  public int quantileCount() {
    return levels.length;
  }

  /** The quantile at {@code index}, a fraction in [0, 1]. */
  public double quantileLevel(int index) {
    return levels[index];
  }

  /** OTLP histogram: the number of explicit bounds (buckets without {@code +Inf}); else 0. */
  public int bucketCount() {
    return bounds == null ? 0 : bounds.length;
  }

  /** OTLP histogram: the upper bound of bucket {@code index}. */
  public double bucketBound(int index) {
    return bounds[index];
  }

  /** OTLP histogram: the number of values at most {@link #bucketBound(int) bucketBound(index)}. */
  public long cumulativeBucketCount(int index) {
    return cumulativeCounts[index];
  }

  /**
   * The value at {@link #quantileLevel(int) quantileLevel(index)}: for timers and distributions
   * over the sliding window; NaN if there is none.
   */
  public double quantile(int index) {
    return quantile(index, 1);
  }

  /**
   * As {@link #quantile(int)}, divided by {@code divisor} in one step (timers in seconds: 1000), so
   * that the result is the double nearest to the exact quotient.
   */
  public double quantile(int index, double divisor) {
    // StatsD quantiles are held in the histogram's recorded units, thousandths of the sent unit
    return quantiles == null ? Double.NaN : quantiles[index] / (quantileScale * divisor);
  }

  /**
   * What sent values are divided by to be shown: 1000 for StatsD timers (milliseconds sent, seconds
   * shown, as on {@code /metrics}), else 1.
   */
  public double unitDivisor() {
    return kind() == MetricKind.TIMER ? 1000 : 1;
  }

  /** The quantile at {@code level} in shown units (see {@link #unitDivisor()}); NaN if none. */
  public double quantileAt(double level) {
    for (int i = 0; i < quantileCount(); i++) {
      if (levels[i] == level) {
        return quantile(i, unitDivisor());
      }
    }
    return Double.NaN;
  }
}
