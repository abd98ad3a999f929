package dev.tally.protocol.otlp;

import com.google.protobuf.ByteString;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.protocol.model.TraceIds;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.function.Consumer;

/**
 * Maps an OTLP logs export request into {@link LogEntry}s. A record is rejected, and reported in
 * the {@link Rejections}, when its trace id is neither empty nor 16 bytes, its span id neither
 * empty nor 8 bytes, or its severity number is not 0–24. A record without a time takes its observed
 * time, else the arrival time; a record with only a severity text takes the number of that text's
 * range. Never throws for bad data.
 */
public final class LogsRequestMapper {
  private LogsRequestMapper() {}

  /**
   * Maps every record of {@code request}: good ones to {@code sink}, bad ones to {@code
   * rejections}.
   *
   * @param nowNanos the arrival time, epoch nanoseconds
   * @return the number of records accepted
   */
  public static long map(
      ExportLogsServiceRequest request,
      long nowNanos,
      Consumer<LogEntry> sink,
      Rejections rejections) {
    long accepted = 0;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      String[] resource = AttributesMapper.pairs(rl.getResource().getAttributesList());
      String service = AttributesMapper.service(resource);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          LogEntry entry = map(r, service, resource, nowNanos, rejections);
          if (entry != null) {
            sink.accept(entry);
            accepted++;
          }
        }
      }
    }
    return accepted;
  }

  private static LogEntry map(
      LogRecord r, String service, String[] resource, long nowNanos, Rejections rejections) {
    ByteString traceId = r.getTraceId();
    ByteString spanId = r.getSpanId();
    if (traceId.size() != 0 && traceId.size() != 16) {
      rejections.add(
          OtlpRejectReason.INVALID_TRACE_ID,
          1,
          "log record: trace id must be empty or 16 bytes, was " + traceId.size());
      return null;
    }
    if (spanId.size() != 0 && spanId.size() != 8) {
      rejections.add(
          OtlpRejectReason.INVALID_SPAN_ID,
          1,
          "log record: span id must be empty or 8 bytes, was " + spanId.size());
      return null;
    }
    int severity = r.getSeverityNumberValue();
    if (severity < 0 || severity > LogSeverity.MAX_NUMBER) {
      rejections.add(
          OtlpRejectReason.BAD_SEVERITY,
          1,
          "log record: severity number must be 0 to 24, was " + severity);
      return null;
    }
    if (severity == 0) {
      LogSeverity named = LogSeverity.ofName(r.getSeverityText());
      severity = named == null ? 0 : named.lowest();
    }
    long time = r.getTimeUnixNano();
    if (time <= 0) {
      time = r.getObservedTimeUnixNano() > 0 ? r.getObservedTimeUnixNano() : nowNanos;
    }
    return new LogEntry(
        time,
        severity,
        r.getSeverityText(),
        service,
        r.hasBody() ? AttributesMapper.valueString(r.getBody()) : "",
        AttributesMapper.pairs(r.getAttributesList()),
        AttributesMapper.typed(r.getAttributesList()),
        traceId.size() == 16 ? TraceIds.longAt(traceId, 0) : 0,
        traceId.size() == 16 ? TraceIds.longAt(traceId, 8) : 0,
        spanId.size() == 8 ? TraceIds.longAt(spanId, 0) : 0,
        resource);
  }
}
