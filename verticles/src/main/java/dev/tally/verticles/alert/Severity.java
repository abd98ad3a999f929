package dev.tally.verticles.alert;

import java.util.Locale;

/** How bad a firing alert is. */
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Severity of(String label) {
    for (Severity s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return null;
  }
}
