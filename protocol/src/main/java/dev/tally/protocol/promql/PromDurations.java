package dev.tally.protocol.promql;

import java.util.regex.Pattern;

/**
 * Durations as PromQL and Prometheus' API write them: units {@code ms s m h d w y} (a day is 24 h,
 * a week 7 d, a year 365 d), several of them largest first ({@code 1h30m}).
 */
public final class PromDurations {
  private static final Pattern DURATION =
      Pattern.compile("((\\d+)y)?((\\d+)w)?((\\d+)d)?((\\d+)h)?((\\d+)m)?((\\d+)s)?((\\d+)ms)?");
  private static final long[] UNIT = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };

  private PromDurations() {}

  /** Milliseconds of a duration; -1 if the text is not one. */
  public static long parseMillis(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return -1;
    }
    java.util.regex.Matcher m = DURATION.matcher(s);
    if (!m.matches()) {
      return -1;
    }
    long total = 0;
    for (int i = 0; i < UNIT.length; i++) {
      String n = m.group(2 + 2 * i);
      if (n != null) {
        try {
          total = Math.addExact(total, Math.multiplyExact(Long.parseLong(n), UNIT[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          return -1;
        }
      }
    }
    return total;
  }

  /** True if {@code c} can be part of a duration. */
  static boolean isDurationChar(char c) {
    return (c >= '0' && c <= '9') || "smhdwy".indexOf(c) >= 0;
  }
}
