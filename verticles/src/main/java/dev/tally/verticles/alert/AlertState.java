package dev.tally.verticles.alert;

import java.util.Locale;

/** An alert's state: the condition holds but not yet for long enough, holds, or no longer. */
public enum AlertState {
  PENDING,
  FIRING,
  RESOLVED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
