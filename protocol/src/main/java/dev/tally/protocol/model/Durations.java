package dev.tally.protocol.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as options, query parameters and alert rules write them: {@code 500ms}, {@code 30s},
 * {@code 5m}, {@code 1h}, {@code 15d}.
 */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /** Milliseconds; {@code otherwise} if absent, -1 if not a duration. */
  public static long parseMillis(String s, long otherwise) {
    if (s == null || s.isBlank()) {
      return otherwise;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return n;
      case "s":
        return n * 1000;
      case "m":
        return n * 60_000;
      case "h":
        return n * 3_600_000;
      default:
        return n * 86_400_000;
    }
  }
}
