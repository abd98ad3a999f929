package dev.tally.gateway.notify;

import dev.tally.verticles.alert.AlertState;
import dev.tally.verticles.alert.AlertView;
import dev.tally.verticles.alert.Notification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The bodies the notifiers send. Stateless. */
final class Payloads {
  /**
   * How long Alertmanager should keep a firing alert without hearing of it again, in resend
   * intervals (as Prometheus: four).
   */
  static final int ENDS_AFTER_RESENDS = 4;

  private Payloads() {}

  /** The webhook's body: {@code {"notifications":[{"kind":"firing","alert":{...}}]}}. */
  static JsonObject webhook(List<Notification> notifications) {
    JsonArray a = new JsonArray();
    for (Notification n : notifications) {
      a.add(n.toJson());
    }
    return new JsonObject().put("notifications", a);
  }

  /**
   * Alertmanager's {@code POST /api/v2/alerts} body for the given alerts: firing ones with an end
   * {@code resendMillis} × {@link #ENDS_AFTER_RESENDS} from now (renewed by each resend), resolved
   * ones ending when they resolved; pending and silenced ones are not sent.
   */
  static JsonArray alertmanager(
      List<AlertView> alerts, long now, long resendMillis, String source) {
    JsonArray a = new JsonArray();
    for (AlertView v : alerts) {
      if (v.state() == AlertState.PENDING || v.silenced()) {
        continue; // silences mute notifications: Alertmanager lets a muted alert expire
      }
      boolean firing = v.state() == AlertState.FIRING;
      a.add(
          new JsonObject()
              .put("labels", new JsonObject(Map.copyOf(v.labels())))
              .put("annotations", new JsonObject(Map.copyOf(v.annotations())))
              // sinceMillis: when it began firing, or when it resolved; a resolved alert is
              // resent for 15 min, so its start must not move past its end
              .put("startsAt", Instant.ofEpochMilli(v.sinceMillis()).toString())
              .put(
                  "endsAt",
                  Instant.ofEpochMilli(
                          firing ? now + ENDS_AFTER_RESENDS * resendMillis : v.sinceMillis())
                      .toString())
              .put("generatorURL", source));
    }
    return a;
  }
}
