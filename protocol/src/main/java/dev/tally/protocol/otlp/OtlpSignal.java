package dev.tally.protocol.otlp;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * The three OTLP signals Tally takes, with their gRPC service, their OTLP/HTTP path and the name of
 * what they carry in the self-metrics ({@code tally_otlp_<items>_accepted_total}).
 */
public enum OtlpSignal {
  METRICS("opentelemetry.proto.collector.metrics.v1.MetricsService", "/v1/metrics", "points"),
  TRACES("opentelemetry.proto.collector.trace.v1.TraceService", "/v1/traces", "spans"),
  LOGS("opentelemetry.proto.collector.logs.v1.LogsService", "/v1/logs", "log_records");

  private final String grpcService;
  private final String httpPath;
  private final String items;

  OtlpSignal(String grpcService, String httpPath, String items) {
    this.grpcService = grpcService;
    this.httpPath = httpPath;
    this.items = items;
  }

  /** The fully qualified gRPC service whose {@code Export} method takes the signal. */
  public String grpcService() {
    return grpcService;
  }

  public String httpPath() {
    return httpPath;
  }

  /** What the signal's requests carry, as named in metric names: points, spans, log_records. */
  public String items() {
    return items;
  }

  /** A builder of the signal's export request. */
  public Message.Builder newRequest() {
    switch (this) {
      case METRICS:
        return ExportMetricsServiceRequest.newBuilder();
      case TRACES:
        return ExportTraceServiceRequest.newBuilder();
      default:
        return ExportLogsServiceRequest.newBuilder();
    }
  }
}
