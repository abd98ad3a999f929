package dev.tally.verticles.snapshot;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.prometheus.PrometheusText;

/**
 * The samples a series is exposed as (CONTRACT §3), the same for {@code /metrics} and for what is
 * exported: counters, gauges and sets one sample named by the family; summaries (timers and
 * distributions by default) one per quantile, then {@code _sum} and {@code _count}; histograms
 * (OTLP histograms, and timers and distributions whose {@link ObserverType} has buckets) their
 * cumulative buckets ({@code le}, {@code +Inf} last), {@code _sum} and {@code _count}. Timers in
 * seconds.
 */
public final class ExposedSamples {
  private static final String[] QUANTILE_LABELS =
      SeriesSnapshot.QUANTILES.stream().map(String::valueOf).toArray(String[]::new);

  /** Gets the samples of a series one by one. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param name the sample's name: the family, or the family with {@code _bucket}, {@code _sum}
     *     or {@code _count}
     * @param extraName the label the sample adds to the series' labels ({@code quantile}, {@code
     *     le}); null for none
     * @param extraValue its value, a float as {@link PrometheusText#formatFloat} writes it
     * @param exemplar the sample's exemplar (a counter's, a bucket's); null for none
     */
    void sample(String name, String extraName, String extraValue, double value, Exemplar exemplar);
  }

  private ExposedSamples() {}

  /** Gives {@code sink} every sample of {@code s}, in the order of the exposition. */
  public static void forEach(SeriesSnapshot s, Sink sink) {
    switch (s.kind()) {
      case COUNTER:
      case OTLP_COUNTER:
        sink.sample(s.family(), null, null, s.value(), s.exemplar(0));
        break;
      case GAUGE:
      case SET:
      case OTLP_GAUGE: // OpenMetrics has no exemplars on gauges
        sink.sample(s.family(), null, null, s.value(), null);
        break;
      default:
        double scale = s.unitDivisor(); // timers: milliseconds to seconds
        if (isHistogram(s)) {
          String bucket = s.family() + "_bucket";
          for (int b = 0; b < s.bucketCount(); b++) {
            sink.sample(
                bucket,
                "le",
                PrometheusText.formatFloat(s.bucketBound(b)),
                s.cumulativeBucketCount(b),
                s.exemplar(b));
          }
          sink.sample(bucket, "le", "+Inf", s.count(), s.exemplar(s.bucketCount()));
        } else {
          quantiles(s, s.family(), sink);
        }
        sink.sample(s.family() + "_sum", null, null, s.sum() / scale, null);
        sink.sample(s.family() + "_count", null, null, s.count(), null);
    }
  }

  /**
   * Gives {@code sink} the window summary of a series exposed as {@link ObserverType#BOTH} (named
   * {@link #summaryFamily}): its quantiles, {@code _sum} and {@code _count}; nothing for other
   * series.
   */
  public static void forEachWindowSummary(SeriesSnapshot s, Sink sink) {
    if (s.observer() == ObserverType.BOTH) {
      String name = summaryFamily(s);
      quantiles(s, name, sink);
      sink.sample(name + "_sum", null, null, s.sum() / s.unitDivisor(), null);
      sink.sample(name + "_count", null, null, s.count(), null);
    }
  }

  /** The family of the window summary of a series exposed as {@link ObserverType#BOTH}. */
  public static String summaryFamily(SeriesSnapshot s) {
    return s.family() + ObserverType.SUMMARY_SUFFIX;
  }

  private static void quantiles(SeriesSnapshot s, String name, Sink sink) {
    double scale = s.unitDivisor();
    boolean usual = s.usualLevels();
    for (int q = 0; q < s.quantileCount(); q++) {
      String level = usual ? QUANTILE_LABELS[q] : PrometheusText.formatFloat(s.quantileLevel(q));
      sink.sample(name, "quantile", level, s.quantile(q, scale), null);
    }
  }

  /** True if the series is exposed as a histogram: OTLP histograms, and timers chosen to. */
  public static boolean isHistogram(SeriesSnapshot s) {
    return s.kind() == MetricKind.OTLP_HISTOGRAM
        || (s.observer() != null && s.observer().buckets());
  }

  /** The Prometheus type of the family of {@code s}. */
  public static String typeName(SeriesSnapshot s) {
    return isHistogram(s) ? "histogram" : PrometheusText.typeName(s.kind());
  }
}
