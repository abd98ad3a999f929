package dev.tally.loadtest.otlp;

import static dev.tally.loadtest.otlp.OtlpPayloads.kv;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * OTLP traces and logs requests shaped like a service's batch exporter sends them: 5 services, each
 * with traces of 10 spans (a SERVER root and 9 children of 20 span names, CLIENT and INTERNAL), 4
 * attributes per span, an event on one span in 10, 5 % error spans; log records of 4 attributes,
 * one in 10 in a trace, one in 20 an error with an exception type.
 */
public final class TracePayloads {
  static final String[] SERVICES = {"cart", "checkout", "auth", "search", "payment"};
  static final int SPANS_PER_TRACE = 10;

  private TracePayloads() {}

  /**
   * A request of {@code traces} traces of 10 spans; trace ids are made from {@code firstTrace} on
   * (distinct for distinct numbers, spread over the id space), times start at {@code startNanos}.
   */
  public static ExportTraceServiceRequest traces(int traces, long firstTrace, long startNanos) {
    Random random = new Random(firstTrace);
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int s = 0; s < SERVICES.length; s++) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int t = s; t < traces; t += SERVICES.length) {
        // random-looking ids, as SDKs make them: the ratio sampler sees a uniform low half
        long low = (firstTrace + t + 1) * 0x9E3779B97F4A7C15L;
        byte[] traceId = ByteBuffer.allocate(16).putLong(0x5eed).putLong(low).array();
        long root = (firstTrace + t + 1) << 4; // span ids are never 0
        for (int i = 0; i < SPANS_PER_TRACE; i++) {
          long start = startNanos + i * 1_000_000L;
          long duration = (long) (2_000_000 * Math.exp(random.nextGaussian()));
          Span.Builder span =
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(traceId))
                  .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(root + i).array()))
                  .setName(i == 0 ? "GET /api/" + SERVICES[s] : "op-" + (i * 7 + t) % 20)
                  .setKind(
                      i == 0
                          ? Span.SpanKind.SPAN_KIND_SERVER
                          : i % 2 == 0
                              ? Span.SpanKind.SPAN_KIND_CLIENT
                              : Span.SpanKind.SPAN_KIND_INTERNAL)
                  .setStartTimeUnixNano(start)
                  .setEndTimeUnixNano(start + duration)
                  .addAttributes(kv("http.method", "GET"))
                  .addAttributes(kv("http.route", "/api/" + SERVICES[s] + "/" + i))
                  .addAttributes(kv("net.peer.name", "db-" + i % 3))
                  .addAttributes(kv("thread.name", "worker-" + i));
          if (i > 0) {
            span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(root).array()));
          }
          if (random.nextInt(10) == 0) {
            span.addEvents(
                Span.Event.newBuilder()
                    .setName("cache.miss")
                    .setTimeUnixNano(start + 1000)
                    .addAttributes(kv("key", "k" + t)));
          }
          if (random.nextInt(20) == 0) {
            span.setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("timeout"));
          }
          scope.addSpans(span);
        }
      }
      request.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(kv("service.name", SERVICES[s]))
                      .addAttributes(kv("service.instance.id", SERVICES[s] + "-1"))
                      .addAttributes(kv("telemetry.sdk.language", "java")))
              .addScopeSpans(scope));
    }
    return request.build();
  }

  /** A request of {@code records} log records, at {@code timeNanos}. */
  public static ExportLogsServiceRequest logs(int records, long timeNanos) {
    ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
    for (int s = 0; s < SERVICES.length; s++) {
      ScopeLogs.Builder scope = ScopeLogs.newBuilder();
      for (int r = s; r < records; r += SERVICES.length) {
        boolean error = r % 20 == 0;
        LogRecord.Builder record =
            LogRecord.newBuilder()
                .setTimeUnixNano(timeNanos + r)
                .setSeverityNumberValue(error ? 17 : 9)
                .setSeverityText(error ? "ERROR" : "INFO")
                .setBody(
                    AnyValue.newBuilder()
                        .setStringValue(
                            error
                                ? "request " + r + " failed: connection reset by peer"
                                : "handled request " + r + " for user u" + r % 1000 + " in 12 ms"))
                .addAttributes(kv("logger.name", "dev.shop." + SERVICES[s]))
                .addAttributes(kv("thread.name", "worker-" + r % 8))
                .addAttributes(kv("http.route", "/api/" + SERVICES[s]))
                .addAttributes(kv("user.id", "u" + r % 1000));
        if (error) {
          record.addAttributes(kv("exception.type", "java.net.SocketException"));
        }
        if (r % 10 == 0) {
          record
              .setTraceId(
                  ByteString.copyFrom(ByteBuffer.allocate(16).putLong(1).putLong(r).array()))
              .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(r + 1).array()));
        }
        scope.addLogRecords(record);
      }
      request.addResourceLogs(
          ResourceLogs.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(kv("service.name", SERVICES[s])))
              .addScopeLogs(scope));
    }
    return request.build();
  }
}
