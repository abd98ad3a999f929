package dev.tally.verticles.logs;

import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.protocol.model.TraceIds;
import dev.tally.verticles.trace.TraceJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The JSON of CONTRACT §9 for logs; {@code ts} in epoch milliseconds with microseconds. */
public final class LogJson {
  private LogJson() {}

  /**
   * One record: {@code ts, severity, service, body, attributes, trace_id} (and span id). {@code
   * severity} is the name of the number's range ({@code ERROR} whether a library sent {@code
   * error}, {@code ERROR} or {@code Err}), so that one filter or chart sees one spelling; the text
   * as sent is {@code severity_text}.
   */
  public static JsonObject entry(LogEntry e) {
    return new JsonObject()
        .put("ts", TraceJson.millis(e.timeNanos()))
        .put("severity", severityName(e))
        .put("severity_text", e.severity())
        .put("severity_number", e.severityNumber())
        .put("service", e.service())
        .put("body", e.body())
        .put("attributes", TraceJson.pairs(e.attributes(), e.typedAttributes()))
        .put("trace_id", e.hasTrace() ? TraceIds.hex(e.traceIdHigh(), e.traceIdLow()) : null)
        .put("span_id", e.spanId() == 0 ? null : TraceIds.hex(e.spanId()));
  }

  /** The range of the record's number, else its text as sent (maybe empty). */
  static String severityName(LogEntry e) {
    LogSeverity range = LogSeverity.ofNumber(e.severityNumber());
    return range != null ? range.name() : e.severity();
  }

  static JsonObject list(LogStore.Found found) {
    JsonArray out = new JsonArray();
    for (LogEntry e : found.entries()) {
      out.add(entry(e));
    }
    JsonObject json = new JsonObject().put("logs", out);
    return found.truncated() ? json.put("truncated", true) : json;
  }

  static JsonObject errors(List<LogStore.ErrorGroup> groups) {
    JsonArray out = new JsonArray();
    long total = 0;
    for (LogStore.ErrorGroup g : groups) {
      total += g.count();
      out.add(
          new JsonObject()
              .put("type", g.type())
              .put("count", g.count())
              .put("last", entry(g.last())));
    }
    return new JsonObject().put("errors", out).put("total", total);
  }
}
