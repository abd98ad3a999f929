package dev.tally.verticles.alert;

import java.util.List;

/**
 * What one evaluation left: every alert and the notifications it caused. Published by the alert
 * verticle after each evaluation; immutable.
 */
public record AlertStates(long atMillis, List<AlertView> alerts, List<Notification> notifications) {
  public AlertStates {
    alerts = List.copyOf(alerts);
    notifications = List.copyOf(notifications);
  }
}
