package dev.tally.verticles.export;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** What an HTTP status means to a sender, and the {@code Retry-After} it may carry. */
final class HttpAnswers {
  /** The longest wait a {@code Retry-After} may ask for. */
  static final long MAX_RETRY_AFTER_MILLIS = 300_000;

  private HttpAnswers() {}

  /**
   * 2xx: sent; {@code retryable}: sent again (429 throttled); else dropped with the body's start as
   * the reason.
   */
  static Wire.Outcome of(int status, MultiMap headers, Buffer body, boolean retryable) {
    if (status / 100 == 2) {
      return Wire.Outcome.sent(0, null);
    }
    if (retryable) {
      long after = retryAfter(headers.get("Retry-After"));
      return status == 429 ? Wire.Outcome.throttled(after) : Wire.Outcome.retry(after);
    }
    return Wire.Outcome.drop(status + " " + text(body));
  }

  /** The start of a body, for a log line. */
  static String text(Buffer body) {
    String text = body == null ? "" : body.toString();
    return (text.length() > 300 ? text.substring(0, 300) + "..." : text).strip();
  }

  /** A {@code Retry-After} in milliseconds (seconds or an HTTP date); -1 if none or not valid. */
  static long retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, Long.parseLong(value.trim()) * 1000));
    } catch (NumberFormatException e) {
      try {
        long at =
            ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant()
                .toEpochMilli();
        return Math.min(MAX_RETRY_AFTER_MILLIS, Math.max(0, at - System.currentTimeMillis()));
      } catch (DateTimeParseException d) {
        return -1;
      }
    }
  }
}
