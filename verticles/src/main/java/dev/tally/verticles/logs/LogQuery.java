package dev.tally.verticles.logs;

import dev.tally.protocol.model.LogEntry;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code GET /api/logs} asks for, or what a live tail wants; null or 0 fields match
 * everything.
 *
 * @param text a text the body contains, in any case
 * @param regex a pattern found in the body
 * @param minSeverity the lowest severity number (the lowest of a range: {@code severity=warn} takes
 *     warn, error and fatal)
 * @param service the record's {@code service.name}
 * @param traceIdHigh with {@code traceIdLow}, the trace the record belongs to; both 0 for any
 * @param sinceNanos the earliest record time, epoch nanoseconds; 0 for any
 * @param untilNanos the latest record time; {@link Long#MAX_VALUE} for any
 * @param limit the most records returned, newest first
 */
public record LogQuery(
    String text,
    Pattern regex,
    int minSeverity,
    String service,
    long traceIdHigh,
    long traceIdLow,
    long sinceNanos,
    long untilNanos,
    int limit) {

  public LogQuery {
    text = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
    service = service == null || service.isEmpty() ? null : service;
  }

  /** A filter of the live tail: service, lowest severity and text, any time. */
  public static LogQuery tail(String service, int minSeverity, String text) {
    return new LogQuery(
        text, null, minSeverity, service, 0, 0, 0, Long.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** True if the record passes every filter (not the limit). */
  public boolean matches(LogEntry e) {
    return matches(e, null);
  }

  /**
   * As {@link #matches(LogEntry)}, the regular expression reading the body through {@code budget}
   * (none if null).
   *
   * @throws RegexBudget.Exhausted when the budget runs out
   */
  /** True if {@code body} contains {@code lower} (in lower case) in any case; no copy of it. */
  static boolean containsIgnoringCase(String body, String lower) {
    for (int i = 0, last = body.length() - lower.length(); i <= last; i++) {
      if (body.regionMatches(true, i, lower, 0, lower.length())) {
        return true;
      }
    }
    return false;
  }

  boolean matches(LogEntry e, RegexBudget budget) {
    return e.timeNanos() >= sinceNanos
        && e.timeNanos() <= untilNanos
        && e.severityNumber() >= minSeverity
        && (service == null || service.equals(e.service()))
        && ((traceIdHigh == 0 && traceIdLow == 0)
            || (e.traceIdHigh() == traceIdHigh && e.traceIdLow() == traceIdLow))
        && (text == null || containsIgnoringCase(e.body(), text))
        && (regex == null
            || regex.matcher(budget == null ? e.body() : budget.wrap(e.body())).find());
  }
}
