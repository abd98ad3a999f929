package dev.tally.verticles.trace;

import dev.tally.protocol.model.Pairs;
import dev.tally.protocol.model.SpanEvent;
import dev.tally.protocol.model.TraceIds;
import dev.tally.protocol.model.TraceSpan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON of CONTRACT §9 for traces: the list of {@code GET /api/traces} and the span tree of
 * {@code GET /api/traces/{id}}. Times are epoch milliseconds with microsecond fractions.
 */
public final class TraceJson {
  private static final String[] KINDS = {
    "unspecified", "internal", "server", "client", "producer", "consumer"
  };
  private static final String[] STATUSES = {"unset", "ok", "error"};

  private TraceJson() {}

  static JsonObject list(List<StoredTrace> traces) {
    JsonArray out = new JsonArray();
    for (StoredTrace t : traces) {
      TraceSpan root = t.root();
      out.add(
          new JsonObject()
              .put("trace_id", TraceIds.hex(t.key.high(), t.key.low()))
              .put("service", root.service())
              .put("name", root.name())
              .put("start", millis(t.startNanos))
              .put("duration_ms", t.durationNanos() / 1e6)
              .put("span_count", t.spans.size())
              .put("error", t.errors > 0));
    }
    return new JsonObject().put("traces", out);
  }

  /** The trace's spans by start time, each with its parent's id: the tree the dashboard draws. */
  static JsonObject detail(StoredTrace t) {
    List<TraceSpan> spans = new java.util.ArrayList<>(t.spans);
    spans.sort(Comparator.comparingLong(TraceSpan::startNanos));
    JsonArray out = new JsonArray();
    for (TraceSpan s : spans) {
      JsonArray events = new JsonArray();
      for (SpanEvent e : s.events()) {
        events.add(
            new JsonObject()
                .put("name", e.name())
                .put("ts", millis(e.timeNanos()))
                .put("attributes", pairs(e.attributes(), e.typedAttributes())));
      }
      out.add(
          new JsonObject()
              .put("span_id", TraceIds.hex(s.spanId()))
              .put("parent_span_id", TraceIds.hex(s.parentSpanId()))
              .put("name", s.name())
              .put("service", s.service())
              .put(
                  "kind",
                  s.kind() >= 0 && s.kind() < KINDS.length ? KINDS[s.kind()] : "unspecified")
              .put("start", millis(s.startNanos()))
              .put("duration_ms", s.durationNanos() / 1e6)
              .put(
                  "status",
                  s.status() >= 0 && s.status() < STATUSES.length ? STATUSES[s.status()] : "unset")
              .put("status_message", s.statusMessage())
              .put("attributes", pairs(s.attributes(), s.typedAttributes()))
              .put("resource", pairs(s.resource(), s.typedResource()))
              .put("events", events));
    }
    return new JsonObject()
        .put("trace_id", TraceIds.hex(t.key.high(), t.key.low()))
        .put("start", millis(t.startNanos))
        .put("duration_ms", t.durationNanos() / 1e6)
        .put("spans", out);
  }

  /**
   * Name/value pairs as an object; a repeated name keeps its last value. Values marked in {@code
   * typed} ({@link Pairs#typed}) are written as the numbers and booleans they were sent as.
   */
  public static JsonObject pairs(String[] pairs, long typed) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      String value = pairs[i + 1];
      o.put(pairs[i], Pairs.typed(typed, i / 2) ? typedValue(value) : value);
    }
    return o;
  }

  /**
   * The number or boolean of a typed value: {@code Boolean}, {@code Long} or {@code Double}'s own
   * text, as the mapper wrote it ({@code Double.toString} always has a {@code .} or an {@code E}).
   */
  private static Object typedValue(String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.valueOf(text);
    }
    boolean decimal = text.indexOf('.') >= 0 || text.indexOf('E') >= 0;
    return decimal ? (Object) Double.valueOf(text) : (Object) Long.valueOf(text);
  }

  /**
   * Epoch milliseconds with the microseconds as a fraction, written out in full ({@code
   * 1796552504624.181}): a {@code double} of today's epoch milliseconds is written in scientific
   * notation ({@code 1.796552504624181E12}), which JSON allows but people and some tools misread.
   */
  public static BigDecimal millis(long nanos) {
    return BigDecimal.valueOf(Math.floorDiv(nanos, 1000L), 3);
  }
}
