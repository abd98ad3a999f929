package dev.tally.verticles.live;

import dev.tally.protocol.model.MetricKind;
import dev.tally.verticles.snapshot.SeriesSnapshot;

/**
 * The values the feed shows for each kind of series, in order: counters their total ({@code value})
 * and {@code rate}; gauges and sets their {@code value}; timers, distributions, exponential
 * histograms and summaries {@code count}, {@code sum}, {@code min}, {@code max} and the quantiles
 * {@code p50} to {@code p999}; explicit-bucket histograms {@code count}, {@code sum}, the {@code
 * rate} of observations and the quantiles of the latest tick that had some, from their buckets.
 * Timers are in seconds, as in {@code /metrics}.
 */
enum Fields {
  COUNTER("value", "rate"),
  GAUGE("value"),
  QUANTILES("count", "sum", "min", "max", "p50", "p90", "p95", "p99", "p999"),
  BUCKETS("count", "sum", "rate", "p50", "p90", "p95", "p99", "p999");

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
        quantiles(s, out, at + 3);
        break;
      default:
        double scale = s.unitDivisor(); // timers: ms to seconds
        out[at] = s.count();
        out[at + 1] = s.sum() / scale;
        out[at + 2] = s.min() / scale;
        out[at + 3] = s.max() / scale;
        quantiles(s, out, at + 4);
    }
  }

  private static void quantiles(SeriesSnapshot s, double[] out, int at) {
    for (int q = 0; q < SeriesSnapshot.QUANTILES.size(); q++) {
      out[at + q] = s.quantileAt(SeriesSnapshot.QUANTILES.get(q));
    }
  }
}
