package dev.tally.verticles.export;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The paths of OTLP's signals, gzip for their bodies, and the partial success an Export answer may
 * carry.
 */
final class OtlpAnswers {
  private OtlpAnswers() {}

  /** {@code bytes} gzip-compressed. */
  static byte[] gzip(byte[] bytes) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4 + 64);
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // not from a byte array
    }
    return out.toByteArray();
  }

  /** {@code metrics}, {@code traces} or {@code logs}: the signal's word in paths. */
  static String signalPath(int type) {
    return Wire.signal(type).key();
  }

  /** The gRPC service of a record kind. */
  static String service(int type) {
    switch (type) {
      case Wire.OTLP_TRACES:
        return "opentelemetry.proto.collector.trace.v1.TraceService";
      case Wire.OTLP_LOGS:
        return "opentelemetry.proto.collector.logs.v1.LogsService";
      default:
        return "opentelemetry.proto.collector.metrics.v1.MetricsService";
    }
  }

  /**
   * The answer of an Export that succeeded: the items it rejected (partial success) and why; an
   * answer that cannot be read counts as taken whole.
   */
  static Wire.Outcome sent(int type, byte[] response) {
    try {
      switch (type) {
        case Wire.OTLP_TRACES:
          var t = ExportTraceServiceResponse.parseFrom(response).getPartialSuccess();
          return Wire.Outcome.sent(t.getRejectedSpans(), t.getErrorMessage());
        case Wire.OTLP_LOGS:
          var l = ExportLogsServiceResponse.parseFrom(response).getPartialSuccess();
          return Wire.Outcome.sent(l.getRejectedLogRecords(), l.getErrorMessage());
        default:
          var m = ExportMetricsServiceResponse.parseFrom(response).getPartialSuccess();
          return Wire.Outcome.sent(m.getRejectedDataPoints(), m.getErrorMessage());
      }
    } catch (InvalidProtocolBufferException e) {
      return Wire.Outcome.sent(0, null); // a JSON or empty body: nothing said about rejections
    }
  }
}
