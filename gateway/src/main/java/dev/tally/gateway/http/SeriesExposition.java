package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.aggregate.SeriesSnapshot;
import dev.tally.verticles.live.TickSnapshot;
import java.util.List;

/**
 * Renders the user series of a tick (those this node owns, when clustered) as Prometheus text
 * (CONTRACT §2, §3): families sorted by name, each family's samples together. Two kinds exposed
 * under one family name (a gauge and a set named alike) cannot share it: the first kind in {@link
 * MetricKind} order is shown, the other series are left out and counted in {@link #conflicts()}.
 */
final class SeriesExposition {
  private static final String[] QUANTILE_LABELS =
      SeriesSnapshot.QUANTILES.stream().map(String::valueOf).toArray(String[]::new);

  private final long tickMillis;
  private final String text;
  private final int conflicts;

  private SeriesExposition(long tickMillis, String text, int conflicts) {
    this.tickMillis = tickMillis;
    this.text = text;
    this.conflicts = conflicts;
  }

  /**
   * Renders a tick, whose series are sorted by family, labels and kind and unique per key (see
   * {@link TickSnapshot}): a family's series are neighbours, so each family takes one pass to find
   * its first kind and one to write the series of that kind.
   */
  static SeriesExposition render(TickSnapshot tick) {
    List<SeriesSnapshot> all = tick.series();
    StringBuilder sb = new StringBuilder(all.size() * 64);
    PrometheusText out = new PrometheusText(sb);
    int conflicts = tick.conflicts();
    for (int from = 0, to; from < all.size(); from = to) {
      String family = all.get(from).family();
      MetricKind kind = all.get(from).kind();
      for (to = from; to < all.size() && all.get(to).family().equals(family); to++) {
        if (all.get(to).kind().compareTo(kind) < 0) {
          kind = all.get(to).kind();
        }
      }
      boolean headed = false;
      for (int i = from; i < to; i++) {
        SeriesSnapshot s = all.get(i);
        if (s.kind() != kind) {
          conflicts++;
          continue;
        }
        if (!headed) {
          out.family(family, PrometheusText.typeName(kind), help(s));
          headed = true;
        }
        write(out, s);
      }
    }
    return new SeriesExposition(tick.tickMillis(), sb.toString(), conflicts);
  }

  /** The tick rendered. */
  long tickMillis() {
    return tickMillis;
  }

  String text() {
    return text;
  }

  /** Series left out because their family name is taken by another kind. */
  int conflicts() {
    return conflicts;
  }

  private static void write(PrometheusText out, SeriesSnapshot s) {
    switch (s.kind()) {
      case COUNTER:
      case GAUGE:
      case SET:
      case OTLP_COUNTER:
      case OTLP_GAUGE:
        out.sample(s.family(), s.labels(), s.value());
        break;
      case OTLP_HISTOGRAM:
        String bucket = s.family() + "_bucket";
        for (int b = 0; b < s.bucketCount(); b++) {
          out.sample(
              bucket,
              s.labels(),
              "le",
              PrometheusText.formatFloat(s.bucketBound(b)),
              s.cumulativeBucketCount(b));
        }
        out.sample(bucket, s.labels(), "le", "+Inf", s.count());
        out.sample(s.family() + "_sum", s.labels(), s.sum());
        out.sample(s.family() + "_count", s.labels(), s.count());
        break;
      default:
        double scale = s.kind() == MetricKind.TIMER ? 1000 : 1; // timers: milliseconds to seconds
        boolean usual = s.kind() != MetricKind.OTLP_SUMMARY;
        for (int q = 0; q < s.quantileCount(); q++) {
          String level =
              usual ? QUANTILE_LABELS[q] : PrometheusText.formatFloat(s.quantileLevel(q));
          out.sample(s.family(), s.labels(), "quantile", level, s.quantile(q, scale));
        }
        out.sample(s.family() + "_sum", s.labels(), s.sum() / scale);
        out.sample(s.family() + "_count", s.labels(), s.count());
    }
  }

  private static String help(SeriesSnapshot s) {
    if (s.help() != null) {
      return s.help();
    }
    switch (s.kind()) {
      case COUNTER:
        return "StatsD counter " + s.key().name() + ": cumulative sum of value/rate.";
      case GAUGE:
        return "StatsD gauge " + s.key().name() + ": last value.";
      case SET:
        return "StatsD set " + s.key().name() + ": distinct members in the last tick.";
      case TIMER:
        return "StatsD timer " + s.key().name() + " in seconds: quantiles over the sliding window.";
      case DISTRIBUTION:
        return "StatsD distribution " + s.key().name() + ": quantiles over the sliding window.";
      case OTLP_EXPONENTIAL_HISTOGRAM:
        return "OTLP exponential histogram "
            + s.key().name()
            + ": quantiles over the sliding window.";
      default:
        return "OTLP metric " + s.key().name() + ".";
    }
  }
}
