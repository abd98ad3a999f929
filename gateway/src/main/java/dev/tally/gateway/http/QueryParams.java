package dev.tally.gateway.http;

import dev.tally.protocol.model.Durations;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.protocol.model.TraceIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the query parameters of one API request and collects every problem, so that a bad request
 * gets one 400 naming all its bad parameters: {@code {"errors":[{"field","message"}]}}, the shape
 * of the alerts API. Confined to the request's event loop.
 */
final class QueryParams {
  /** Epoch milliseconds beyond which a time is "for ever" (its nanoseconds would overflow). */
  static final double MAX_MILLIS = Long.MAX_VALUE / 1e6;

  private static final BigDecimal MAX_DECIMAL_MILLIS = BigDecimal.valueOf(MAX_MILLIS);

  /** A number of epoch milliseconds: digits, a fraction, an exponent of at most two digits. */
  private static final Pattern EPOCH_MILLIS =
      Pattern.compile("[+-]?\\d{1,20}(\\.\\d{0,20})?([eE][+-]?\\d{1,2})?");

  private final RoutingContext rc;
  private final JsonArray problems = new JsonArray();

  QueryParams(RoutingContext rc) {
    this.rc = rc;
  }

  /** The parameter as sent; null if absent or empty. */
  String string(String name) {
    String v = rc.pathParam(name);
    if (v == null) {
      v = rc.request().getParam(name);
    }
    return v == null || v.isEmpty() ? null : v;
  }

  /**
   * A switch: true if present as {@code true}, {@code 1} or with no value ({@code ?logs}), false if
   * absent, {@code false} or {@code 0}; anything else is a problem.
   */
  boolean bool(String name) {
    String v = rc.request().getParam(name);
    if (v == null || v.equals("false") || v.equals("0")) {
      return false;
    }
    if (v.isEmpty() || v.equals("true") || v.equals("1")) {
      return true;
    }
    problem(name, "true, false, 1 or 0, was '" + v + "'");
    return false;
  }

  /** An integer from {@code min} to {@code max}; {@code otherwise} if absent. */
  int integer(String name, int otherwise, int min, int max) {
    String v = string(name);
    if (v == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(name, "a whole number from " + min + " to " + max + ", was '" + v + "'");
    return otherwise;
  }

  /** A number of milliseconds (fractions allowed) as nanoseconds; 0 if absent. */
  long millisAsNanos(String name) {
    String v = string(name);
    if (v == null) {
      return 0;
    }
    try {
      double ms = Double.parseDouble(v.trim());
      if (ms >= 0 && ms < 1e12) {
        return (long) (ms * 1e6);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(name, "a number of milliseconds, 0 or more, was '" + v + "'");
    return 0;
  }

  /**
   * A time as epoch nanoseconds, written as epoch milliseconds, an ISO-8601 instant, or a duration
   * before now ({@code 15m}); {@code otherwise} if absent.
   */
  long time(String name, long otherwise) {
    String v = string(name);
    if (v == null) {
      return otherwise;
    }
    long nanos = timeNanos(v);
    if (nanos < 0) {
      problem(name, TIMES + ", was '" + v + "'");
      return otherwise;
    }
    return nanos;
  }

  /** What {@link #timeNanos} takes, for error messages. */
  static final String TIMES =
      "epoch milliseconds, an ISO-8601 instant or a duration before now (15m)";

  /**
   * Epoch nanoseconds of a time written as epoch milliseconds (fractions kept to the microsecond,
   * as the API's own times have them), an ISO-8601 instant, or a duration before now ({@code 15m});
   * far times clamped to {@link Long#MAX_VALUE}; -1 if {@code v} is none of them.
   */
  static long timeNanos(String v) {
    long ago = Durations.parseMillis(v, -1);
    if (ago >= 0) {
      return Math.max(0, System.currentTimeMillis() - ago) * 1_000_000L;
    }
    // decimal, not double: at epoch scale a double times 1e6 is off by up to 256 ns, enough to
    // put a record's own time (floored to the microsecond in the API) after it. Only numbers as the
    // API writes them (1.795463586079771E12): a BigDecimal of 1e-30000000 takes seconds to scale
    if (EPOCH_MILLIS.matcher(v.trim()).matches()) {
      BigDecimal ms = new BigDecimal(v.trim());
      if (ms.signum() <= 0) {
        return 0;
      }
      if (ms.compareTo(MAX_DECIMAL_MILLIS) >= 0) {
        return Long.MAX_VALUE;
      }
      return ms.setScale(3, RoundingMode.HALF_UP).movePointRight(3).longValueExact() * 1000L;
    }
    try {
      Instant i = Instant.parse(v.trim());
      if (i.getEpochSecond() < 0) {
        return 0;
      }
      return i.getEpochSecond() >= Long.MAX_VALUE / 1_000_000_000L
          ? Long.MAX_VALUE
          : i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  /** One of {@code values}, in lower case; null if absent. */
  String oneOf(String name, String... values) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    for (String allowed : values) {
      if (allowed.equalsIgnoreCase(v.trim())) {
        return allowed;
      }
    }
    problem(name, "one of " + String.join(", ", values) + ", was '" + v + "'");
    return null;
  }

  /** A 32-digit hex trace id as {high, low}; null if absent or bad (reported). */
  long[] traceId(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    long[] id = TraceIds.parseTraceId(v.trim());
    if (id == null) {
      problem(name, "a trace id of 32 hex digits, was '" + v + "'");
    }
    return id;
  }

  /** The lowest severity number of a severity name ({@code warn}) or a number 1–24; 0 if absent. */
  int severity(String name) {
    String v = string(name);
    if (v == null) {
      return 0;
    }
    int n = LogSeverity.lowestNumber(v);
    if (n < 0) {
      problem(name, LogSeverity.ALLOWED + ", was '" + v + "'");
      return 0;
    }
    return n;
  }

  /** A Java regular expression; null if absent or bad (reported). */
  Pattern regex(String name) {
    String v = string(name);
    if (v == null) {
      return null;
    }
    try {
      return Pattern.compile(v);
    } catch (PatternSyntaxException e) {
      problem(name, "a regular expression: " + e.getDescription() + " near index " + e.getIndex());
      return null;
    }
  }

  void problem(String field, String message) {
    problems.add(problemJson(field, message));
  }

  /** One problem of the API's error body. */
  static JsonObject problemJson(String field, String message) {
    return new JsonObject().put("field", field).put("message", message);
  }

  /** Answers {@code status} with the API's error body of one problem. */
  static void answer(RoutingContext rc, int status, String field, String message) {
    rc.response().setStatusCode(status);
    rc.json(new JsonObject().put("errors", new JsonArray().add(problemJson(field, message))));
  }

  /** If any parameter was bad, answers 400 with every problem and returns true. */
  boolean answeredBadRequest() {
    if (problems.isEmpty()) {
      return false;
    }
    rc.response().setStatusCode(400);
    rc.json(new JsonObject().put("errors", problems));
    return true;
  }
}
