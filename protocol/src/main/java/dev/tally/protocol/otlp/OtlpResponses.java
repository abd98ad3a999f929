package dev.tally.protocol.otlp;

import com.google.rpc.Status;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/** The bodies Tally answers OTLP requests with (CONTRACT §4). */
public final class OtlpResponses {
  private OtlpResponses() {}

  /**
   * The export response: an empty {@code partial_success} if every point was accepted, else the
   * rejected count and message.
   */
  public static ExportMetricsServiceResponse metrics(Rejections rejections) {
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
