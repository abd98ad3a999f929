package dev.tally.protocol.otlp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A fuzz target for an OTLP/HTTP metrics body (Jazzer): decoded as protobuf or JSON, gzip or not,
 * then mapped to points. Under {@code mvn verify} it replays its corpus ({@code
 * OtlpMetricsFuzzTestInputs}); with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 * Whatever the bytes: a decoding error is one of the decoder's answers, never an exception, and
 * mapping a decoded request never throws.
 */
class OtlpMetricsFuzzTest {
  private final OtlpRequestDecoder decoder = new OtlpRequestDecoder(1 << 20);

  @FuzzTest(maxDuration = "30s")
  void anyBody(FuzzedDataProvider data) {
    boolean gzip = data.consumeBoolean();
    OtlpEncoding encoding = data.consumeBoolean() ? OtlpEncoding.JSON : OtlpEncoding.PROTOBUF;
    byte[] body = data.consumeRemainingAsBytes();
    OtlpRequestDecoder.Decoded<ExportMetricsServiceRequest> d =
        decoder.decode(body, gzip, encoding, ExportMetricsServiceRequest.newBuilder());
    if (d.error() != null) {
      return;
    }
    List<OtlpPoint> points = new ArrayList<>();
    MetricsRequestMapper.map(d.message(), points::add, new Rejections()); // throws nothing
  }
}
