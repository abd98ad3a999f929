package dev.tally.protocol.model;

import java.util.Locale;

/**
 * The six severity ranges of OpenTelemetry log records ({@code SeverityNumber} 1–24, four numbers
 * per range), their names, and the number a severity text stands for when a record carries only
 * text.
 */
public enum LogSeverity {
  TRACE(1),
  DEBUG(5),
  INFO(9),
  WARN(13),
  ERROR(17),
  FATAL(21);

  /** The highest valid severity number. */
  public static final int MAX_NUMBER = 24;

  private final int lowest;

  LogSeverity(int lowest) {
    this.lowest = lowest;
  }

  /** The lowest severity number of the range. */
  public int lowest() {
    return lowest;
  }

  /** The range of a severity number 1–24, or null for 0 (unspecified) and invalid numbers. */
  public static LogSeverity ofNumber(int number) {
    if (number < 1 || number > MAX_NUMBER) {
      return null;
    }
    return values()[(number - 1) / 4];
  }

  /**
   * The range a name stands for, in any case, with the common spellings of logging libraries
   * ({@code warning}, {@code err}, {@code critical}, {@code fine}...); null if unknown.
   */
  public static LogSeverity ofName(String name) {
    if (name == null) {
      return null;
    }
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "trace":
      case "finest":
      case "finer":
        return TRACE;
      case "debug":
      case "fine":
      case "config":
        return DEBUG;
      case "info":
      case "information":
      case "notice":
      case "success":
        return INFO;
      case "warn":
      case "warning":
        return WARN;
      case "error":
      case "err":
      case "severe":
        return ERROR;
      case "fatal":
      case "critical":
      case "crit":
      case "alert":
      case "emergency":
      case "panic":
        return FATAL;
      default:
        return null;
    }
  }

  /** What {@link #lowestNumber} accepts, for error messages. */
  public static final String ALLOWED = "trace, debug, info, warn, error, fatal or a number 1 to 24";

  /**
   * The lowest severity number a filter written as {@code s} lets through: a range's name ({@code
   * warn}: 13) or a number 1–24; -1 if {@code s} is neither.
   */
  public static int lowestNumber(String s) {
    LogSeverity named = ofName(s);
    if (named != null) {
      return named.lowest();
    }
    try {
      int n = Integer.parseInt(s.trim());
      return n >= 1 && n <= MAX_NUMBER ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
