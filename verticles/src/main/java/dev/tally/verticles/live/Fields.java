package dev.tally.verticles.live;

import dev.tally.protocol.model.MetricKind;
import dev.tally.verticles.snapshot.SeriesSnapshot;

/**
 * The values the feed shows for each kind of series, in order: counters their total ({@code value})
 * and {@code rate}; gauges and sets their {@code value}; timers, distributions, exponential
 * histograms and summaries {@code count}, {@code sum}, {@code min}, {@code max} and the quantiles
 * {@code p50} to {@code p999}; explicit-bucket histograms {@code count}, {@code sum} and the {@code
 * rate} of observations. Timers are in seconds, as in {@code /metrics}.
 */
enum Fields {
  COUNTER("value", "rate"),
  GAUGE("value"),
  QUANTILES("count", "sum", "min", "max", "p50", "p90", "p95", "p99", "p999"),
  BUCKETS("count", "sum", "rate");

  final String[] names;

  Fields(String... names) {
    this.names = names;
  }

  static Fields of(MetricKind kind) {
    switch (kind) {
      case COUNTER:
      case OTLP_COUNTER:
        return COUNTER;
      case GAUGE:
      case SET:
      case OTLP_GAUGE:
        return GAUGE;
      case OTLP_HISTOGRAM:
        return BUCKETS;
      default:
        return QUANTILES;
    }
  }

  /** Writes the values of {@code s} into {@code out[at...at + names.length)}. */
  void values(SeriesSnapshot s, double[] out, int at) {
    switch (this) {
      case COUNTER:
        out[at] = s.value();
        out[at + 1] = s.rate();
        break;
      case GAUGE:
        out[at] = s.value();
        break;
      case BUCKETS:
        out[at] = s.count();
        out[at + 1] = s.sum();
        out[at + 2] = s.rate();
        break;
      default:
        double scale = s.unitDivisor(); // timers: ms to seconds
        out[at] = s.count();
        out[at + 1] = s.sum() / scale;
        out[at + 2] = s.min() / scale;
        out[at + 3] = s.max() / scale;
        for (int q = 0; q < SeriesSnapshot.QUANTILES.size(); q++) {
          out[at + 4 + q] = s.quantileAt(SeriesSnapshot.QUANTILES.get(q));
        }
    }
  }
}
