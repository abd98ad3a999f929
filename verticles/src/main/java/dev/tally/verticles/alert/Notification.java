package dev.tally.verticles.alert;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/** What the notifiers send: an alert that began firing, fires again after its repeat, or ended. */
public record Notification(Kind kind, AlertView alert) {
  /** {@code {"kind":"firing","alert":{...}}}, as the webhook and the live feed send it. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("kind", kind.name().toLowerCase(Locale.ROOT))
        .put("alert", alert.toJson());
  }

  /** Why a notification is sent. */
  public enum Kind {
    FIRING,
    REPEAT,
    RESOLVED
  }
}
