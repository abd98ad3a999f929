package dev.tally.verticles.alert;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/** An alert as the API, the live feed and the notifiers see it: a copy, immutable. */
public record AlertView(
    String id,
    String rule,
    String series,
    Map<String, String> labels,
    AlertState state,
    Severity severity,
    long sinceMillis,
    double value,
    Alert.Ack ack,
    boolean silenced,
    Map<String, String> annotations,
    java.util.List<JsonObject> timeline) {

  /** The entry of {@code GET /api/alerts} (CONTRACT §8). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("rule", rule)
        .put("series", series)
        .put("labels", new JsonObject(Map.copyOf(labels)))
        .put("state", state.label())
        .put("severity", severity.label())
        .put("since", sinceMillis)
        .put("value", Double.isFinite(value) ? value : null)
        .put(
            "ack",
            ack == null
                ? null
                : new JsonObject()
                    .put("by", ack.by())
                    .put("comment", ack.comment())
                    .put("at", ack.atMillis()))
        .put("silenced", silenced)
        .put("annotations", new JsonObject(Map.copyOf(annotations)))
        .put("timeline", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(timeline)));
  }
}
