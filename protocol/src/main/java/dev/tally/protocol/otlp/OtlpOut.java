package dev.tally.protocol.otlp;

import com.google.protobuf.ByteString;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.Pairs;
import dev.tally.protocol.model.SpanEvent;
import dev.tally.protocol.model.TraceSpan;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spans and log records as Tally keeps them, back into OTLP export requests, grouped by resource
 * (its attributes as received; numbers and booleans with their types). The scope a span or record
 * came with is not kept by the stores: it goes out with an empty scope. Array and map attribute
 * values went to strings when received and go out as strings.
 */
public final class OtlpOut {
  private OtlpOut() {}

  /** An export request of {@code spans}, one {@code ResourceSpans} per resource. */
  public static ExportTraceServiceRequest spans(List<TraceSpan> spans) {
    Map<List<String>, List<Span>> byResource = new LinkedHashMap<>();
    Map<List<String>, Resource> resources = new LinkedHashMap<>();
    for (TraceSpan s : spans) {
      List<String> key = Arrays.asList(s.resource());
      resources.computeIfAbsent(key, k -> resource(s.resource(), s.typedResource()));
      byResource.computeIfAbsent(key, k -> new ArrayList<>()).add(span(s));
    }
    ExportTraceServiceRequest.Builder out = ExportTraceServiceRequest.newBuilder();
    byResource.forEach(
        (key, list) ->
            out.addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(resources.get(key))
                    .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(list))));
    return out.build();
  }

  /** An export request of {@code records}, one {@code ResourceLogs} per resource. */
  public static ExportLogsServiceRequest logs(List<LogEntry> records) {
    Map<List<String>, List<LogRecord>> byResource = new LinkedHashMap<>();
    for (LogEntry e : records) {
      byResource.computeIfAbsent(Arrays.asList(e.resource()), k -> new ArrayList<>()).add(log(e));
    }
    ExportLogsServiceRequest.Builder out = ExportLogsServiceRequest.newBuilder();
    byResource.forEach(
        (key, list) ->
            out.addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(resource(key.toArray(new String[0]), 0))
                    .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(list))));
    return out.build();
  }

  private static Span span(TraceSpan s) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(s.traceIdHigh(), s.traceIdLow()))
            .setSpanId(id(s.spanId()))
            .setName(s.name())
            .setKindValue(s.kind())
            .setStartTimeUnixNano(s.startNanos())
            .setEndTimeUnixNano(s.endNanos())
            .addAllAttributes(attributes(s.attributes(), s.typedAttributes()))
            .setStatus(
                Status.newBuilder()
                    .setCodeValue(s.status())
                    .setMessage(s.statusMessage() == null ? "" : s.statusMessage()));
    if (s.parentSpanId() != 0) {
      b.setParentSpanId(id(s.parentSpanId()));
    }
    for (SpanEvent e : s.events()) {
      b.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(e.timeNanos())
              .setName(e.name())
              .addAllAttributes(attributes(e.attributes(), e.typedAttributes())));
    }
    return b.build();
  }

  private static LogRecord log(LogEntry e) {
    LogRecord.Builder b =
        LogRecord.newBuilder()
            .setTimeUnixNano(e.timeNanos())
            .setSeverityNumber(
                SeverityNumber.forNumber(e.severityNumber()) == null
                    ? SeverityNumber.SEVERITY_NUMBER_UNSPECIFIED
                    : SeverityNumber.forNumber(e.severityNumber()))
            .setSeverityText(e.severity())
            .setBody(AnyValue.newBuilder().setStringValue(e.body()))
            .addAllAttributes(attributes(e.attributes(), e.typedAttributes()));
    if (e.hasTrace()) {
      b.setTraceId(id(e.traceIdHigh(), e.traceIdLow()));
      if (e.spanId() != 0) {
        b.setSpanId(id(e.spanId()));
      }
    }
    return b.build();
  }

  private static Resource resource(String[] pairs, long typed) {
    return Resource.newBuilder().addAllAttributes(attributes(pairs, typed)).build();
  }

  /** Pairs as attributes: a typed value as the int, double or bool its JSON text is. */
  static List<KeyValue> attributes(String[] pairs, long typed) {
    List<KeyValue> out = new ArrayList<>(pairs.length / 2);
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      out.add(
          KeyValue.newBuilder()
              .setKey(pairs[i])
              .setValue(value(pairs[i + 1], Pairs.typed(typed, i / 2)))
              .build());
    }
    return out;
  }

  private static AnyValue value(String text, boolean typed) {
    if (typed) {
      if (text.equals("true") || text.equals("false")) {
        return AnyValue.newBuilder().setBoolValue(text.equals("true")).build();
      }
      try {
        return AnyValue.newBuilder().setIntValue(Long.parseLong(text)).build();
      } catch (NumberFormatException e) {
        try {
          return AnyValue.newBuilder().setDoubleValue(Double.parseDouble(text)).build();
        } catch (NumberFormatException f) {
          // not a number after all: a string
        }
      }
    }
    return AnyValue.newBuilder().setStringValue(text).build();
  }

  private static ByteString id(long high, long low) {
    byte[] b = new byte[16];
    put(b, 0, high);
    put(b, 8, low);
    return ByteString.copyFrom(b);
  }

  private static ByteString id(long v) {
    byte[] b = new byte[8];
    put(b, 0, v);
    return ByteString.copyFrom(b);
  }

  private static void put(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (56 - 8 * i));
    }
  }
}
