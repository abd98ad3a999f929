package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.protocol.statsd.mapping.Mapped;
import dev.tally.protocol.statsd.mapping.MappingRule;
import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.protocol.statsd.mapping.MatchType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The answer of {@code GET /api/debug/mapping?name=&type=}: which rule of the mapping file a StatsD
 * name hits and what it makes of it, so that a file can be checked before traffic is switched.
 */
final class MappingExplained {
  /** The StatsD types the endpoint takes, as a line writes them. */
  static final String[] TYPES = {"c", "g", "ms", "h", "d", "s"};

  private MappingExplained() {}

  /**
   * @param file the mapping file's path; null for none
   * @param mappings its rules; null for none
   * @param type one of {@link #TYPES}
   */
  static JsonObject explain(String file, Mappings mappings, String name, String type) {
    JsonObject out = new JsonObject().put("name", name).put("type", type).put("file", file);
    MetricKind kind = kindOf(type);
    if (mappings == null) {
      SeriesKey key = SeriesKey.of(kind, name, List.of());
      return out.put("rule", null)
          .put("action", "map")
          .put("metric", PrometheusText.familyName(key))
          .put("labels", new JsonObject());
    }
    Mapped m = mappings.map(name, MatchType.ofLineType(type));
    MappingRule rule = m.rule();
    JsonObject labels = new JsonObject();
    for (int i = 0; i < m.labels().size(); i += 2) {
      labels.put(m.labels().get(i), m.labels().get(i + 1));
    }
    out.put(
            "rule",
            m.matched()
                ? new JsonObject()
                    .put("index", rule.index())
                    .put("match", rule.match())
                    .put("match_type", rule.isRegex() ? "regex" : "glob")
                    .put(
                        "match_metric_type",
                        rule.metricType() == null ? null : rule.metricType().name().toLowerCase())
                : null)
        .put("action", rule.drop() ? "drop" : m.name().isEmpty() ? "drop_empty_name" : "map")
        .put("metric", m.name())
        .put("labels", labels)
        .put("honor_labels", rule.honorLabels());
    if (kind.isHistogram()) {
      out.put(
          "observer_type", rule.observer() == null ? null : rule.observer().name().toLowerCase());
      double[] buckets = rule.buckets();
      out.put("buckets", buckets == null ? null : array(buckets));
      out.put("quantiles", array(rule.quantiles()));
    }
    return out.put("ttl_ms", rule.ttlMillis() < 0 ? null : rule.ttlMillis())
        .put("help", rule.help());
  }

  private static JsonArray array(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(v);
    }
    return a;
  }

  private static MetricKind kindOf(String type) {
    switch (type) {
      case "c":
        return MetricKind.COUNTER;
      case "g":
        return MetricKind.GAUGE;
      case "s":
        return MetricKind.SET;
      case "ms":
        return MetricKind.TIMER;
      default:
        return MetricKind.DISTRIBUTION;
    }
  }
}
