package dev.tally.verticles.aggregate;

import dev.tally.verticles.snapshot.ObserverType;

/**
 * How the timers and distributions of a kind of source are exposed: summary, histogram or both
 * ({@link ObserverType}), the upper bounds of the histogram's buckets in exposed units (seconds for
 * timers), and whether they are also kept as a native histogram (shown to scrapers that ask for the
 * protobuf format). Immutable.
 */
public final class HistogramLayout {
  /** statsd_exporter's (and the Prometheus clients') default buckets, in seconds for timers. */
  public static final double[] DEFAULT_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  /**
   * The bounds of span durations: the OpenTelemetry Collector spanmetrics connector's defaults (2
   * ms to 15 s), in seconds, so that dashboards made for it work unchanged.
   */
  public static final double[] SPAN_BUCKETS = {
    0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1, 1.4, 2, 5, 10, 15
  };

  /** Summaries, as before histograms could be chosen: StatsD's default. */
  public static final HistogramLayout SUMMARY =
      new HistogramLayout(ObserverType.SUMMARY, DEFAULT_BUCKETS, false);

  /** Span RED durations: a histogram with {@link #SPAN_BUCKETS}. */
  public static final HistogramLayout SPANS =
      new HistogramLayout(ObserverType.HISTOGRAM, SPAN_BUCKETS, false);

  private final ObserverType type;
  private final double[] bounds;
  private final boolean nativeBuckets;

  /** The summary's quantiles, increasing; {@link HistogramSeries#LEVELS} unless a rule says. */
  private final double[] levels;

  /** The bounds in a timer's recorded units (µs), and in a distribution's (thousandths). */
  private final long[] timerBounds;

  private final long[] distributionBounds;

  /**
   * @param bounds increasing finite upper bounds, at least one; copied
   * @throws IllegalArgumentException if {@code bounds} is empty, not increasing or not finite
   */
  public HistogramLayout(ObserverType type, double[] bounds, boolean nativeBuckets) {
    this(type, bounds, nativeBuckets, HistogramSeries.LEVELS);
  }

  /**
   * @param levels the summary's quantiles as fractions, increasing (a mapping rule's); copied
   * @throws IllegalArgumentException if {@code bounds} is empty, not increasing or not finite
   */
  public HistogramLayout(
      ObserverType type, double[] bounds, boolean nativeBuckets, double[] levels) {
    String bad = checkBounds(bounds);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    this.type = type;
    this.bounds = bounds.clone();
    this.nativeBuckets = nativeBuckets;
    this.levels = levels == HistogramSeries.LEVELS ? levels : levels.clone();
    this.timerBounds = scaled(bounds, HistogramSeries.SCALE * 1000);
    this.distributionBounds = scaled(bounds, HistogramSeries.SCALE);
  }

  private static long[] scaled(double[] bounds, double recordedPerExposed) {
    long[] out = new long[bounds.length];
    for (int b = 0; b < bounds.length; b++) {
      out[b] = Math.round(bounds[b] * recordedPerExposed);
    }
    return out;
  }

  /**
   * The bounds in recorded units of a timer (µs) or a distribution (thousandths), shared by every
   * series of this layout; do not modify.
   */
  long[] recordedBounds(boolean timer) {
    return timer ? timerBounds : distributionBounds;
  }

  /** Null if {@code bounds} can be a histogram's, else what is wrong with them. */
  public static String checkBounds(double[] bounds) {
    if (bounds.length == 0) {
      return "a histogram needs at least one bucket bound";
    }
    for (int i = 0; i < bounds.length; i++) {
      if (!Double.isFinite(bounds[i])) {
        return "bucket bounds must be finite (+Inf is always the last bucket)";
      }
      if (i > 0 && bounds[i] <= bounds[i - 1]) {
        return "bucket bounds must increase: " + bounds[i - 1] + " then " + bounds[i];
      }
    }
    return null;
  }

  public ObserverType type() {
    return type;
  }

  /** The upper bounds of the buckets but {@code +Inf}, in exposed units; do not modify. */
  double[] bounds() {
    return bounds;
  }

  /** True if {@code other} exposes series the same way: type, bounds, native buckets, levels. */
  boolean sameAs(HistogramLayout other) {
    return other == this
        || (type == other.type
            && nativeBuckets == other.nativeBuckets
            && java.util.Arrays.equals(bounds, other.bounds)
            && java.util.Arrays.equals(levels, other.levels));
  }

  /** The summary's quantiles; shared, do not modify. */
  double[] levels() {
    return levels;
  }

  /** The upper bounds of the buckets but {@code +Inf}, in exposed units, as a copy. */
  public double[] boundsCopy() {
    return bounds.clone();
  }

  /** True if the series also keep native-histogram buckets. */
  public boolean nativeBuckets() {
    return nativeBuckets;
  }
}
