package dev.tally.verticles.export;

/** How a target is spoken to. */
public enum ExportProtocol {
  /** Prometheus remote write 1.0: metrics only. */
  REMOTE_WRITE,
  /** OTLP/HTTP with protobuf bodies: {@code /v1/metrics}, {@code /v1/traces}, {@code /v1/logs}. */
  OTLP_HTTP,
  /** OTLP/gRPC: the Export method of MetricsService, TraceService and LogsService. */
  OTLP_GRPC
}
