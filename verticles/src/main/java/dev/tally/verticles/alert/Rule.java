package dev.tally.verticles.alert;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One alert rule (CONTRACT §8): which series, which of their values, compared how with what, for
 * how long before firing, how bad, how often to notify again, and the labels and annotations of its
 * alerts. Made by {@link RuleParser}; immutable.
 *
 * <p>Or an alerting rule of a Prometheus rule file ({@link PromRuleFiles}): {@code expr} is its
 * PromQL expression, every series of whose result is an alert (selector, value, op and threshold
 * are then unused, and null), evaluated on the history with its group.
 */
public record Rule(
    String name,
    Selector selector,
    AlertValue value,
    Selector denominator,
    Op op,
    double threshold,
    long forMillis,
    Severity severity,
    long repeatMillis,
    Map<String, String> labels,
    Map<String, String> annotations,
    String expr) {

  /** True if the value is {@code value op threshold}; always for a PromQL rule's results. */
  public boolean breached(double v) {
    return expr != null || op.test(v, threshold);
  }

  /** The rule as the API writes it, the same shape it reads. */
  public JsonObject toJson() {
    if (expr != null) {
      return new JsonObject()
          .put("name", name)
          .put("expr", expr)
          .put("for", forMillis + "ms")
          .put("severity", severity.label())
          .put("repeat", repeatMillis + "ms")
          .put("labels", new JsonObject(Map.copyOf(labels)))
          .put("annotations", new JsonObject(Map.copyOf(annotations)));
    }
    JsonObject o =
        new JsonObject()
            .put("name", name)
            .put("match", selector.match())
            .put("tags", new JsonObject(Map.copyOf(selector.tags())))
            .put("value", value.label())
            .put("op", op.symbol())
            .put("threshold", threshold)
            .put("for", forMillis + "ms")
            .put("severity", severity.label())
            .put("repeat", repeatMillis + "ms")
            .put("labels", new JsonObject(Map.copyOf(labels)))
            .put("annotations", new JsonObject(Map.copyOf(annotations)));
    if (denominator != null) {
      o.put(
          "denominator",
          new JsonObject()
              .put("match", denominator.match())
              .put("tags", new JsonObject(Map.copyOf(denominator.tags()))));
    }
    return o;
  }
}
