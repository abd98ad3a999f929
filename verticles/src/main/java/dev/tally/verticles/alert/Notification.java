package dev.tally.verticles.alert;

/** What the notifiers send: an alert that began firing, fires again after its repeat, or ended. */
public record Notification(Kind kind, AlertView alert) {
  /** Why a notification is sent. */
  public enum Kind {
    FIRING,
    REPEAT,
    RESOLVED
  }
}
