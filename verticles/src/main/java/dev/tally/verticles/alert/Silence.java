package dev.tally.verticles.alert;

import java.util.Map;

/**
 * Mutes the notifications of the alerts whose labels have every matcher's value ({@code
 * {"alertname":"api-slow","env":"prod"}}) until {@code untilMillis}. Immutable.
 */
public record Silence(
    String id, Map<String, String> matchers, long untilMillis, String by, String comment) {

  public Silence {
    matchers = Map.copyOf(matchers);
  }

  /** True if active at {@code now} and every matcher holds for {@code labels}. */
  public boolean mutes(Map<String, String> labels, long now) {
    if (now >= untilMillis) {
      return false;
    }
    for (Map.Entry<String, String> m : matchers.entrySet()) {
      if (!m.getValue().equals(labels.get(m.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
