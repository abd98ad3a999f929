package dev.tally.verticles.snapshot;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.prometheus.PrometheusText;

/**
 * The samples a series is exposed as (CONTRACT §3), the same for {@code /metrics} and for what is
 * exported: counters, gauges and sets one sample named by the family; timers and distributions one
 * per quantile, then {@code _sum} and {@code _count}; OTLP histograms their cumulative buckets
 * ({@code le}, {@code +Inf} last), {@code _sum} and {@code _count}. Timers in seconds.
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
     */
    void sample(String name, String extraName, String extraValue, double value);
  }

  private ExposedSamples() {}

  /** Gives {@code sink} every sample of {@code s}, in the order of the exposition. */
  public static void forEach(SeriesSnapshot s, Sink sink) {
    switch (s.kind()) {
      case COUNTER:
      case GAUGE:
      case SET:
      case OTLP_COUNTER:
      case OTLP_GAUGE:
        sink.sample(s.family(), null, null, s.value());
        break;
      case OTLP_HISTOGRAM:
        String bucket = s.family() + "_bucket";
        for (int b = 0; b < s.bucketCount(); b++) {
          sink.sample(
              bucket,
              "le",
              PrometheusText.formatFloat(s.bucketBound(b)),
              s.cumulativeBucketCount(b));
        }
        sink.sample(bucket, "le", "+Inf", s.count());
        sink.sample(s.family() + "_sum", null, null, s.sum());
        sink.sample(s.family() + "_count", null, null, s.count());
        break;
      default:
        double scale = s.kind() == MetricKind.TIMER ? 1000 : 1; // timers: milliseconds to seconds
        boolean usual = s.kind() != MetricKind.OTLP_SUMMARY;
        for (int q = 0; q < s.quantileCount(); q++) {
          String level =
              usual ? QUANTILE_LABELS[q] : PrometheusText.formatFloat(s.quantileLevel(q));
          sink.sample(s.family(), "quantile", level, s.quantile(q, scale));
        }
        sink.sample(s.family() + "_sum", null, null, s.sum() / scale);
        sink.sample(s.family() + "_count", null, null, s.count());
    }
  }
}
