package dev.tally.protocol.promql;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Times, durations and numbers as Prometheus' HTTP API reads and writes them: times as Unix seconds
 * with a fraction or RFC 3339; durations as seconds or {@code 5m}; sample values as Go formats a
 * float ({@code 1}, {@code 0.25}, {@code 1e-07}, {@code +Inf}, {@code NaN}); timestamps as seconds
 * with milliseconds.
 */
public final class ApiFormats {
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private ApiFormats() {}

  /**
   * A time parameter in epoch ms.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static long parseTime(String s) {
    String v = s.trim();
    Long seconds = secondsAsMillis(v);
    if (seconds != null) {
      return seconds;
    }
    try {
      return OffsetDateTime.parse(v).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
    }
  }

  /**
   * A duration parameter in ms: seconds as a number, or a PromQL duration.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public static long parseDuration(String s) {
    String v = s.trim();
    Long seconds = secondsAsMillis(v);
    if (seconds != null) {
      return seconds;
    }
    long ms = PromDurations.parseMillis(v);
    if (ms < 0) {
      throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration");
    }
    return ms;
  }

  /** A number of seconds as milliseconds; null if {@code v} is not a number within range. */
  private static Long secondsAsMillis(String v) {
    if (!NUMBER.matcher(v).matches()) { // Java would also read 1d and 5f as numbers
      return null;
    }
    try {
      double seconds = Double.parseDouble(v);
      if (Double.isFinite(seconds) && Math.abs(seconds) < 9.2e15) {
        return Math.round(seconds * 1000);
      }
    } catch (NumberFormatException e) {
      // not a number: the caller tries its other form
    }
    return null;
  }

  /** A sample value as Go's {@code strconv.FormatFloat} writes it in Prometheus' API. */
  public static String formatValue(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return 1 / f < 0 ? "-0" : "0";
    }
    BigDecimal d = new BigDecimal(Double.toString(f)).stripTrailingZeros();
    double abs = Math.abs(f);
    if (abs >= 1e-6 && abs < 1e21) {
      return d.toPlainString();
    }
    String digits = d.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - d.scale();
    StringBuilder sb = new StringBuilder();
    if (f < 0) {
      sb.append('-');
    }
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int e = Math.abs(exponent);
    if (e < 10) {
      sb.append('0');
    }
    return sb.append(e).toString();
  }

  /** Appends a timestamp (epoch ms) as seconds with the milliseconds, if any, after a point. */
  public static StringBuilder appendTime(StringBuilder sb, long millis) {
    long seconds = Math.floorDiv(millis, 1000);
    long fraction = Math.floorMod(millis, 1000);
    if (millis < 0 && fraction != 0) { // Prometheus writes -1.5 s as -1.500
      sb.append('-').append(-(seconds + 1));
      return sb.append('.').append(String.format("%03d", 1000 - fraction));
    }
    sb.append(seconds);
    if (fraction != 0) {
      sb.append('.');
      if (fraction < 100) {
        sb.append('0');
      }
      if (fraction < 10) {
        sb.append('0');
      }
      sb.append(fraction);
    }
    return sb;
  }
}
