package dev.tally.verticles.alert;

import java.util.Map;

/**
 * One alert instance: a rule on one series (or on the rule's ratio), its state and since when, its
 * last value, its acknowledgement. Owned and changed by one {@link AlertEvaluator}; read by others
 * only through {@link #view()}.
 */
final class Alert {
  final String id;
  final Key key;
  final Rule rule;
  final String series;
  final Map<String, String> labels; // alertname, severity, the rule's labels, the series' tags
  AlertState state = AlertState.PENDING;
  long sinceMillis;
  double value;
  long lastNotifiedMillis = -1;
  long seenMillis; // the last evaluation that saw its series
  final java.util.List<io.vertx.core.json.JsonObject> timeline = new java.util.ArrayList<>();
  Ack ack;

  Alert(String id, Key key, Rule rule, String series, Map<String, String> labels, long now) {
    this.id = id;
    this.key = key;
    this.rule = rule;
    this.series = series;
    this.labels = Map.copyOf(labels);
    this.sinceMillis = now;
  }

  AlertView view(boolean silenced) {
    return new AlertView(
        id,
        rule.name(),
        series,
        labels,
        state,
        rule.severity(),
        sinceMillis,
        value,
        ack,
        silenced,
        Templates.render(rule.annotations(), labels, value),
        java.util.List.copyOf(timeline));
  }

  /** Adds an event of this alert's incident ({@code by} and {@code comment} may be null). */
  void event(long at, String event, String by, String comment) {
    io.vertx.core.json.JsonObject e =
        new io.vertx.core.json.JsonObject().put("at", at).put("event", event);
    if (by != null) {
      e.put("by", by);
    }
    if (comment != null) {
      e.put("comment", comment);
    }
    timeline.add(e);
  }

  /** What an alert is of: a rule and a series ({@code SeriesKey}, or a ratio's name). */
  record Key(String rule, Object series) {}

  /** Who acknowledged an alert, why and when. */
  public record Ack(String by, String comment, long atMillis) {}
}
