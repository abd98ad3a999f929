package dev.tally.verticles.snapshot;

import dev.tally.protocol.model.Exemplar;
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

  /**
   * Recorded units per sent unit of StatsD timers and distributions (µs per ms): their quantiles
   * are given in recorded units.
   */
  public static final double STATSD_SCALE = 1000;

  /** {@link #QUANTILES} as the levels of a snapshot; never changed. */
  private static final double[] LEVELS =
      QUANTILES.stream().mapToDouble(Double::doubleValue).toArray();

  private final SeriesKey key;
  private final String family;
  private final String labels;
  private final String help;
  private final long tickMillis;
  private final double value;
  private final double rate;

  /**
   * Count, sum, extremes, quantiles and buckets; null for a series that has none (counters, gauges,
   * sets), which {@link #NONE} stands for: a snapshot is made for every series at every tick, and
   * those of the value kinds are half the size without them.
   */
  private final Distribution distribution;

  /** One per bucket ({@code +Inf} last) for histograms, else one; null if none. */
  private final Exemplar[] exemplars;

  private final long createdMillis;

  /** What the accessors answer for a snapshot without a {@link #distribution}. */
  private static final Distribution NONE =
      new Distribution(
          0, 0, Double.NaN, Double.NaN, null, STATSD_SCALE, LEVELS, null, null, null, null);

  private record Distribution(
      double count,
      double sum,
      double min,
      double max,
      double[] quantiles,
      double quantileScale,
      double[] levels,
      double[] bounds,
      double[] cumulativeCounts,
      ObserverType observer,
      NativeHistogram nativeHistogram) {

    /**
     * The distribution of these values; null if it would answer every accessor as {@link #NONE}
     * does (the scale is not read then), decided before one is made, since most snapshots have
     * none.
     */
    static Distribution of(
        double count,
        double sum,
        double min,
        double max,
        double[] quantiles,
        double quantileScale,
        double[] levels,
        double[] bounds,
        double[] cumulativeCounts,
        ObserverType observer,
        NativeHistogram nativeHistogram) {
      boolean none =
          Double.doubleToRawLongBits(count) == 0
              && Double.doubleToRawLongBits(sum) == 0
              && Double.isNaN(min)
              && Double.isNaN(max)
              && quantiles == null
              && levels == LEVELS
              && bounds == null
              && cumulativeCounts == null
              && observer == null
              && nativeHistogram == null;
      return none
          ? null
          : new Distribution(
              count,
              sum,
              min,
              max,
              quantiles,
              quantileScale,
              levels,
              bounds,
              cumulativeCounts,
              observer,
              nativeHistogram);
    }
  }

  /**
   * A StatsD series' state; histogram quantiles in recorded units ({@link #STATSD_SCALE}), at the
   * {@link #QUANTILES} levels.
   */
  public SeriesSnapshot(
      SeriesName name,
      long tickMillis,
      double value,
      double rate,
      double count,
      double sum,
      double min,
      double max,
      double[] quantiles) {
    this(
        name,
        tickMillis,
        value,
        rate,
        Distribution.of(
            count, sum, min, max, quantiles, STATSD_SCALE, LEVELS, null, null, null, null));
  }

  /**
   * A StatsD timer or distribution (or span durations) exposed as {@code observer} says: as {@link
   * #SeriesSnapshot(SeriesName, long, double, double, double, double, double, double, double[]) the
   * summary}, with cumulative buckets ({@code cumulativeCounts[i]} samples at most {@code
   * bounds[i]}, in exposed units; null for a summary) and native-histogram buckets (null for none),
   * the quantiles at {@code levels} (increasing; null for {@link #QUANTILES}).
   */
  public static SeriesSnapshot observed(
      SeriesName name,
      long tickMillis,
      double count,
      double sum,
      double min,
      double max,
      double[] levels,
      double[] quantiles,
      ObserverType observer,
      double[] bounds,
      double[] cumulativeCounts,
      NativeHistogram nativeHistogram) {
    return new SeriesSnapshot(
        name,
        tickMillis,
        0,
        0,
        Distribution.of(
            count,
            sum,
            min,
            max,
            quantiles,
            STATSD_SCALE,
            levels == null ? LEVELS : levels,
            bounds,
            cumulativeCounts,
            observer,
            nativeHistogram));
  }

  private SeriesSnapshot(
      SeriesName name, long tickMillis, double value, double rate, Distribution distribution) {
    this(
        name.key(),
        name.help(),
        name.family(),
        name.labels(),
        name.createdMillis(),
        tickMillis,
        value,
        rate,
        distribution,
        null);
  }

  /**
   * @param distribution null for none ({@link #NONE}); see {@link Distribution#of}
   * @param exemplars one per bucket ({@code +Inf} last) or one; null for none
   */
  private SeriesSnapshot(
      SeriesKey key,
      String help,
      String family,
      String labels,
      long createdMillis,
      long tickMillis,
      double value,
      double rate,
      Distribution distribution,
      Exemplar[] exemplars) {
    this.exemplars = exemplars;
    this.createdMillis = createdMillis;
    this.key = key;
    this.help = help;
    this.family = family;
    this.labels = labels;
    this.tickMillis = tickMillis;
    this.value = value;
    this.rate = rate;
    this.distribution = distribution;
  }

  /** True if the quantiles are at the {@link #QUANTILES} levels (or there are none). */
  public boolean usualLevels() {
    return d().levels() == LEVELS;
  }

  private Distribution d() {
    return distribution == null ? NONE : distribution;
  }

  /**
   * A series with quantiles in the unit of its values ({@code quantiles} may be null), at the given
   * levels ({@link #QUANTILES} if null).
   */
  public static SeriesSnapshot quantiles(
      SeriesName name,
      long tickMillis,
      double rate,
      double count,
      double sum,
      double[] levels,
      double[] quantiles) {
    return quantiles(name, tickMillis, rate, count, sum, levels, quantiles, null);
  }

  /**
   * As {@link #quantiles(SeriesName, long, double, double, double, double[], double[])}, with the
   * buckets of a native histogram (an OTLP exponential histogram's; null for none).
   */
  public static SeriesSnapshot quantiles(
      SeriesName name,
      long tickMillis,
      double rate,
      double count,
      double sum,
      double[] levels,
      double[] quantiles,
      NativeHistogram nativeHistogram) {
    return new SeriesSnapshot(
        name,
        tickMillis,
        0,
        rate,
        Distribution.of(
            count,
            sum,
            Double.NaN,
            Double.NaN,
            quantiles,
            1,
            levels == null ? LEVELS : levels,
            null,
            null,
            null,
            nativeHistogram));
  }

  /**
   * A histogram with explicit buckets: {@code cumulativeCounts[i]} values are at most {@code
   * bounds[i]}; the count is the {@code +Inf} bucket. {@code recent} are quantiles at the {@link
   * #QUANTILES} levels of recent observations (null for none), for the live feed; the histogram is
   * exposed by its buckets only.
   */
  public static SeriesSnapshot buckets(
      SeriesName name,
      long tickMillis,
      double rate,
      long count,
      double sum,
      double[] bounds,
      double[] cumulativeCounts,
      double[] recent) {
    return new SeriesSnapshot(
        name,
        tickMillis,
        0,
        rate,
        Distribution.of(
            count,
            sum,
            Double.NaN,
            Double.NaN,
            recent,
            1,
            LEVELS,
            bounds,
            cumulativeCounts,
            null,
            null));
  }

  /**
   * One snapshot of two shards' series of the same key: overflow series (each shard keeps its own),
   * or a series whose lines came in two spellings that route to two shards: counts, sums, rates and
   * counter or set values add up, bucket counts add up when the bounds agree, a gauge is the later
   * one, and each quantile is the larger of the two (an upper bound: quantiles do not merge
   * exactly).
   */
  public static SeriesSnapshot merge(SeriesSnapshot a, SeriesSnapshot b) {
    Distribution x = a.d();
    Distribution y = b.d();
    MetricKind kind = a.kind();
    boolean gauge = kind == MetricKind.GAUGE || kind == MetricKind.OTLP_GAUGE;
    SeriesSnapshot later = b.tickMillis >= a.tickMillis ? b : a;
    double[] quantiles = x.quantiles() == null ? y.quantiles() : x.quantiles();
    if (x.quantiles() != null
        && y.quantiles() != null
        && x.quantiles().length == y.quantiles().length) {
      quantiles = new double[x.quantiles().length];
      for (int i = 0; i < quantiles.length; i++) {
        quantiles[i] = Math.max(x.quantiles()[i], y.quantiles()[i]);
      }
    }
    double[] counts = x.cumulativeCounts();
    if (counts != null && java.util.Arrays.equals(x.bounds(), y.bounds())) {
      counts = new double[counts.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = x.cumulativeCounts()[i] + y.cumulativeCounts()[i];
      }
    }
    return new SeriesSnapshot(
        a.key,
        a.help,
        a.family,
        a.labels,
        a.createdMillis == 0 || b.createdMillis == 0
            ? Math.max(a.createdMillis, b.createdMillis)
            : Math.min(a.createdMillis, b.createdMillis),
        later.tickMillis,
        gauge ? later.value : a.value + b.value,
        a.rate + b.rate,
        Distribution.of(
            x.count() + y.count(),
            x.sum() + y.sum(),
            Double.isNaN(x.min())
                ? y.min()
                : Double.isNaN(y.min()) ? x.min() : Math.min(x.min(), y.min()),
            Double.isNaN(x.max())
                ? y.max()
                : Double.isNaN(y.max()) ? x.max() : Math.max(x.max(), y.max()),
            quantiles,
            x.quantileScale(),
            x.levels(),
            x.bounds(),
            counts,
            x.observer(),
            NativeHistogram.merge(x.nativeHistogram(), y.nativeHistogram())),
        a.exemplars != null ? a.exemplars : b.exemplars);
  }

  /** This snapshot showing {@code exemplars} (one per bucket, {@code +Inf} last, or one). */
  public SeriesSnapshot withExemplars(Exemplar[] exemplars) {
    return new SeriesSnapshot(
        key, help, family, labels, createdMillis, tickMillis, value, rate, distribution, exemplars);
  }

  /** The number of exemplar slots: 0 if the series has none. */
  public int exemplarCount() {
    return exemplars == null ? 0 : exemplars.length;
  }

  /**
   * The exemplar of slot {@code i}: of bucket {@code i} for histograms ({@code +Inf} is {@link
   * #bucketCount()}), the only one otherwise; null if there is none.
   */
  public Exemplar exemplar(int i) {
    return exemplars == null || i >= exemplars.length ? null : exemplars[i];
  }

  /**
   * Writes this snapshot for another node (see {@link #readFrom}): its key, help, family and
   * labels, then every value as it is held, so that the copy shows exactly what this one shows.
   */
  public void writeTo(Buffer buffer) {
    Distribution d = d();
    Wire.key(buffer, key);
    Wire.optional(buffer, help);
    Wire.string(buffer, family);
    Wire.string(buffer, labels);
    buffer
        .appendLong(createdMillis)
        .appendLong(tickMillis)
        .appendDouble(value)
        .appendDouble(rate)
        .appendDouble(d.count())
        .appendDouble(d.sum())
        .appendDouble(d.min())
        .appendDouble(d.max())
        .appendDouble(d.quantileScale());
    Wire.doubles(buffer, d.quantiles());
    Wire.doubles(buffer, d.levels() == LEVELS ? null : d.levels());
    Wire.doubles(buffer, d.bounds());
    Wire.doubles(buffer, d.cumulativeCounts());
    buffer.appendByte((byte) (d.observer() == null ? -1 : d.observer().ordinal()));
    NativeHistogram.writeTo(buffer, d.nativeHistogram());
    buffer.appendInt(exemplars == null ? -1 : exemplars.length);
    for (int i = 0; i < exemplarCount(); i++) {
      Exemplar e = exemplars[i];
      buffer.appendByte((byte) (e == null ? 0 : e.kept() ? 2 : 1));
      if (e != null) {
        buffer
            .appendLong(e.traceIdHigh())
            .appendLong(e.traceIdLow())
            .appendLong(e.spanId())
            .appendDouble(e.value())
            .appendLong(e.epochMillis());
      }
    }
  }

  private static Exemplar[] readExemplars(Buffer buffer, int[] at) {
    int n = Wire.getInt(buffer, at);
    if (n < 0) {
      return null;
    }
    if (n > 1024) {
      throw new IllegalStateException("a series snapshot with " + n + " exemplars");
    }
    Exemplar[] out = new Exemplar[n];
    for (int i = 0; i < n; i++) {
      byte present = buffer.getByte(at[0]++);
      if (present != 0) {
        out[i] =
            new Exemplar(
                Wire.getLong(buffer, at),
                Wire.getLong(buffer, at),
                Wire.getLong(buffer, at),
                Wire.getDouble(buffer, at),
                Wire.getLong(buffer, at),
                present == 2);
      }
    }
    return out;
  }

  /** Reads what {@link #writeTo} wrote at {@code at[0]}, and moves {@code at[0]} past it. */
  public static SeriesSnapshot readFrom(Buffer buffer, int[] at) {
    SeriesKey key = Wire.key(buffer, at);
    String help = Wire.optional(buffer, at);
    String family = Wire.string(buffer, at);
    String labels = Wire.string(buffer, at);
    long createdMillis = Wire.getLong(buffer, at);
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
    double[] cumulativeCounts = Wire.doubles(buffer, at);
    byte observer = buffer.getByte(at[0]++);
    NativeHistogram nativeHistogram = NativeHistogram.readFrom(buffer, at);
    Exemplar[] exemplars = readExemplars(buffer, at);
    levels = levels == null ? LEVELS : levels;
    if ((quantiles != null && quantiles.length != levels.length)
        || (bounds == null) != (cumulativeCounts == null)
        || (bounds != null && bounds.length != cumulativeCounts.length)
        || observer < -1
        || observer >= ObserverType.values().length) {
      throw new IllegalStateException("a series snapshot whose arrays do not agree: " + key);
    }
    return new SeriesSnapshot(
        key,
        help,
        family,
        labels,
        createdMillis,
        tickMillis,
        value,
        rate,
        Distribution.of(
            count,
            sum,
            min,
            max,
            quantiles,
            quantileScale,
            levels,
            bounds,
            cumulativeCounts,
            observer < 0 ? null : ObserverType.values()[observer],
            nativeHistogram),
        exemplars);
  }

  /**
   * The order of a tick's series: family name, then labels, then kind. Written out: chained
   * comparators cost twice as much.
   */
  public static final Comparator<SeriesSnapshot> ORDER =
      (a, b) -> compare(a.family, a.labels, a.key, b.family, b.labels, b.key);

  /**
   * The kinds are read from the keys only when family and labels are equal: sorting a shard's 50
   * 000 new series, each key read is one more cache miss per comparison.
   */
  static int compare(
      String family,
      String labels,
      SeriesKey key,
      String otherFamily,
      String otherLabels,
      SeriesKey otherKey) {
    int c = family.compareTo(otherFamily);
    if (c == 0) {
      c = labels.compareTo(otherLabels);
    }
    return c != 0 ? c : key.kind().compareTo(otherKey.kind());
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

  /** When the series began, epoch milliseconds; 0 if unknown (see {@link SeriesName}). */
  public long createdMillis() {
    return createdMillis;
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
    return d().count();
  }

  /** Timer/distribution: cumulative sum of sample values, weighted by 1/sample rate. */
  public double sum() {
    return d().sum();
  }

  /** Timer/distribution: smallest value of the last tick; NaN if it had none. */
  public double min() {
    return d().min();
  }

  /** Timer/distribution: largest value of the last tick; NaN if it had none. */
  public double max() {
    return d().max();
  }

  /** The number of quantiles: 5 for timers and distributions, as sent for OTLP summaries. */
  public int quantileCount() {
    return d().levels().length;
  }

  /** The quantile at {@code index}, a fraction in [0, 1]. */
  public double quantileLevel(int index) {
    return d().levels()[index];
  }

  /**
   * How a timer or distribution is exposed; null for a summary of the kinds that have no choice
   * (and for the other kinds).
   */
  public ObserverType observer() {
    return d().observer();
  }

  /** The native-histogram buckets of the series; null if it keeps none. */
  public NativeHistogram nativeHistogram() {
    return d().nativeHistogram();
  }

  /**
   * The number of explicit bucket bounds (buckets without {@code +Inf}) of an OTLP histogram or of
   * a timer or distribution exposed as a histogram; else 0.
   */
  public int bucketCount() {
    double[] bounds = d().bounds();
    return bounds == null ? 0 : bounds.length;
  }

  /** The upper bound of bucket {@code index}, in exposed units (seconds for timers). */
  public double bucketBound(int index) {
    return d().bounds()[index];
  }

  /**
   * The number of values at most {@link #bucketBound(int) bucketBound(index)} (weighted by 1/sample
   * rate for StatsD).
   */
  public double cumulativeBucketCount(int index) {
    return d().cumulativeCounts()[index];
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
    Distribution d = d();
    return d.quantiles() == null
        ? Double.NaN
        : d.quantiles()[index] / (d.quantileScale() * divisor);
  }

  /**
   * What sent values are divided by to be shown: 1000 for StatsD timers (milliseconds sent, seconds
   * shown, as on {@code /metrics}), else 1.
   */
  public double unitDivisor() {
    return unitDivisor(kind());
  }

  /** What sent values of {@code kind} are divided by to be shown; see {@link #unitDivisor()}. */
  public static double unitDivisor(MetricKind kind) {
    return kind == MetricKind.TIMER ? 1000 : 1;
  }

  /** The quantile at {@code level} in shown units (see {@link #unitDivisor()}); NaN if none. */
  public double quantileAt(double level) {
    double[] levels = d().levels();
    for (int i = 0; i < levels.length; i++) {
      if (levels[i] == level) {
        return quantile(i, unitDivisor());
      }
    }
    return Double.NaN;
  }
}
