package dev.tally.protocol.otlp;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** The bodies Tally answers OTLP requests with (CONTRACT §4). */
public final class OtlpResponses {
  private OtlpResponses() {}

  /**
   * The export response of {@code signal}: an empty {@code partial_success} if every item was
   * accepted, else the rejected count and message.
   */
  public static Message export(OtlpSignal signal, Rejections rejections) {
    switch (signal) {
      case METRICS:
        return metrics(rejections);
      case TRACES:
        return rejections.points() == 0
            ? ExportTraceServiceResponse.getDefaultInstance()
            : ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(
                    ExportTracePartialSuccess.newBuilder()
                        .setRejectedSpans(rejections.points())
                        .setErrorMessage(rejections.message()))
                .build();
      default:
        return rejections.points() == 0
            ? ExportLogsServiceResponse.getDefaultInstance()
            : ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(
                    ExportLogsPartialSuccess.newBuilder()
                        .setRejectedLogRecords(rejections.points())
                        .setErrorMessage(rejections.message()))
                .build();
    }
  }

  /**
   * The metrics export response: an empty {@code partial_success} if every point was accepted, else
   * the rejected count and message.
   */
  private static ExportMetricsServiceResponse metrics(Rejections rejections) {
    if (rejections.points() == 0) {
      return ExportMetricsServiceResponse.getDefaultInstance();
    }
    return ExportMetricsServiceResponse.newBuilder()
        .setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder()
                .setRejectedDataPoints(rejections.points())
                .setErrorMessage(rejections.message()))
        .build();
  }

  /** The {@code google.rpc.Status} body of an OTLP/HTTP error response. */
  public static Status status(OtlpRequestError error, String message) {
    return Status.newBuilder().setCode(error.grpcStatus()).setMessage(message).build();
  }
}
