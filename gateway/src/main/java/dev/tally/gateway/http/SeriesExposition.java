package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.aggregate.SeriesSnapshot;
import dev.tally.verticles.aggregate.ShardSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders the user series of every shard as Prometheus text (CONTRACT §2, §3): families sorted by
 * name, each family's samples together. Two kinds exposed under one family name (a gauge and a set
 * named alike) cannot share it: the first kind in {@link MetricKind} order is shown, the other
 * series are left out and counted in {@link #conflicts()}.
 */
final class SeriesExposition {
  private static final Comparator<SeriesSnapshot> ORDER =
      Comparator.comparing(SeriesSnapshot::family)
          .thenComparing(SeriesSnapshot::kind)
          .thenComparing(SeriesSnapshot::labels);
  private static final String[] QUANTILE_LABELS =
      SeriesSnapshot.QUANTILES.stream().map(String::valueOf).toArray(String[]::new);

  private final String text;
  private final int conflicts;

  private SeriesExposition(String text, int conflicts) {
    this.text = text;
    this.conflicts = conflicts;
  }

  static SeriesExposition render(List<ShardSnapshot> shards) {
    List<SeriesSnapshot> all = new ArrayList<>();
    for (ShardSnapshot shard : shards) {
      all.addAll(shard.series());
    }
    all.sort(ORDER);
    mergeDuplicates(all);
    StringBuilder sb = new StringBuilder(all.size() * 64);
    PrometheusText out = new PrometheusText(sb);
    String family = null;
    MetricKind familyKind = null;
    int conflicts = 0;
    for (SeriesSnapshot s : all) {
      if (!s.family().equals(family)) {
        family = s.family();
        familyKind = s.kind();
        out.family(family, PrometheusText.typeName(familyKind), help(s));
      } else if (s.kind() != familyKind) {
        conflicts++;
        continue;
      }
      write(out, s);
    }
    return new SeriesExposition(sb.toString(), conflicts);
  }

  /**
   * Merges neighbours of the same key in the sorted list: the overflow series of a metric, which
   * every shard that overflowed keeps on its own.
   */
  private static void mergeDuplicates(List<SeriesSnapshot> sorted) {
    int out = 0;
    for (int i = 0; i < sorted.size(); i++) {
      SeriesSnapshot s = sorted.get(i);
      if (out > 0 && sorted.get(out - 1).key().equals(s.key())) {
        sorted.set(out - 1, SeriesSnapshot.merge(sorted.get(out - 1), s));
      } else {
        sorted.set(out++, s);
      }
    }
    sorted.subList(out, sorted.size()).clear();
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
