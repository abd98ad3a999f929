package dev.tally.protocol.otlp;

import com.google.protobuf.ByteString;
import dev.tally.protocol.model.SpanEvent;
import dev.tally.protocol.model.TraceIds;
import dev.tally.protocol.model.TraceSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps an OTLP traces export request into {@link TraceSpan}s. A span is rejected, and reported in
 * the {@link Rejections}, when its trace id is not 16 bytes or is all zero, its span id is not 8
 * bytes or is zero, its parent span id is neither empty nor 8 bytes, it has no name, or it has no
 * start time or ends before it starts. The spans beside it are kept. Never throws for bad data.
 */
public final class TracesRequestMapper {
  private TracesRequestMapper() {}

  /**
   * Maps every span of {@code request}: good ones to {@code sink}, bad ones to {@code rejections}.
   *
   * @return the number of spans accepted
   */
  public static long map(
      ExportTraceServiceRequest request, Consumer<TraceSpan> sink, Rejections rejections) {
    long accepted = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String[] resource = AttributesMapper.pairs(rs.getResource().getAttributesList());
      String service = AttributesMapper.service(resource);
      long typedResource = AttributesMapper.typed(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          TraceSpan mapped = map(span, service, resource, typedResource, rejections);
          if (mapped != null) {
            sink.accept(mapped);
            accepted++;
          }
        }
      }
    }
    return accepted;
  }

  private static TraceSpan map(
      Span span, String service, String[] resource, long typedResource, Rejections rejections) {
    ByteString traceId = span.getTraceId();
    ByteString spanId = span.getSpanId();
    ByteString parentId = span.getParentSpanId();
    if (traceId.size() != 16) {
      return reject(
          rejections,
          OtlpRejectReason.INVALID_TRACE_ID,
          span,
          "trace id must be 16 bytes, was " + traceId.size());
    }
    long high = TraceIds.longAt(traceId, 0);
    long low = TraceIds.longAt(traceId, 8);
    if (high == 0 && low == 0) {
      return reject(rejections, OtlpRejectReason.INVALID_TRACE_ID, span, "trace id is all zero");
    }
    long id = spanId.size() == 8 ? TraceIds.longAt(spanId, 0) : 0;
    if (id == 0) {
      return reject(
          rejections, OtlpRejectReason.INVALID_SPAN_ID, span, "span id must be 8 bytes, not zero");
    }
    if (parentId.size() != 0 && parentId.size() != 8) {
      return reject(
          rejections,
          OtlpRejectReason.INVALID_SPAN_ID,
          span,
          "parent span id must be empty or 8 bytes, was " + parentId.size());
    }
    if (span.getName().isEmpty()) {
      return reject(rejections, OtlpRejectReason.MISSING_NAME, span, "span without a name");
    }
    long start = span.getStartTimeUnixNano();
    long end = span.getEndTimeUnixNano();
    if (start <= 0 || end < start) {
      return reject(
          rejections,
          OtlpRejectReason.BAD_TIMESTAMP,
          span,
          "start "
              + Long.toUnsignedString(start)
              + " and end "
              + Long.toUnsignedString(end)
              + " are not a positive start and an end not before it");
    }
    List<Span.Event> events = span.getEventsList();
    SpanEvent[] mappedEvents = new SpanEvent[events.size()];
    for (int i = 0; i < mappedEvents.length; i++) {
      Span.Event e = events.get(i);
      mappedEvents[i] =
          new SpanEvent(
              e.getTimeUnixNano(),
              e.getName(),
              AttributesMapper.pairs(e.getAttributesList()),
              AttributesMapper.typed(e.getAttributesList()));
    }
    return new TraceSpan(
        high,
        low,
        id,
        parentId.size() == 8 ? TraceIds.longAt(parentId, 0) : 0,
        span.getName(),
        service,
        span.getKindValue(),
        start,
        end,
        span.getStatus().getCodeValue(),
        span.getStatus().getMessage(),
        AttributesMapper.pairs(span.getAttributesList()),
        AttributesMapper.typed(span.getAttributesList()),
        mappedEvents,
        resource,
        typedResource);
  }

  private static TraceSpan reject(
      Rejections rejections, OtlpRejectReason reason, Span span, String detail) {
    rejections.add(
        reason,
        1,
        "span "
            + (span.getName().isEmpty() ? "without a name" : "'" + span.getName() + "'")
            + ": "
            + detail);
    return null;
  }
}
