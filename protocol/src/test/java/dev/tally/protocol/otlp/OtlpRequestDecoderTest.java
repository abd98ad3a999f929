package dev.tally.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpRequestDecoderTest {
  private final OtlpRequestDecoder decoder = new OtlpRequestDecoder(1024);

  @Test
  void gzipThatInflatesBeyondTheLimitIsTooLargeWithoutBeingInflated() throws Exception {
    byte[] bomb = gzip(new byte[10_000_000]);
    assertThat(bomb.length).isLessThan(20_000);
    assertThat(decode(bomb, true, OtlpEncoding.PROTOBUF).error())
        .isEqualTo(OtlpRequestError.TOO_LARGE);
  }

  @Test
  void bodyOverTheLimitIsTooLarge() {
    assertThat(decode(new byte[1025], false, OtlpEncoding.PROTOBUF).error())
        .isEqualTo(OtlpRequestError.TOO_LARGE);
  }

  @Test
  void invalidGzipAndInvalidMessagesAreUndecodable() {
    assertThat(decode(new byte[] {1, 2, 3}, true, OtlpEncoding.PROTOBUF).error())
        .isEqualTo(OtlpRequestError.UNDECODABLE);
    assertThat(decode(new byte[] {(byte) 0xff, (byte) 0xff}, false, OtlpEncoding.PROTOBUF).error())
        .isEqualTo(OtlpRequestError.UNDECODABLE);
    OtlpRequestDecoder.Decoded<ExportMetricsServiceRequest> json =
        decode("[1,2".getBytes(StandardCharsets.UTF_8), false, OtlpEncoding.JSON);
    assertThat(json.error()).isEqualTo(OtlpRequestError.UNDECODABLE);
    assertThat(json.errorMessage()).startsWith("cannot decode the application/json body");
  }

  @Test
  void jsonIgnoresUnknownFieldsAndTakesGzip() throws Exception {
    byte[] body =
        gzip(
            "{\"resourceMetrics\":[{\"scopeMetrics\":[]}],\"newField\":7}"
                .getBytes(StandardCharsets.UTF_8));
    OtlpRequestDecoder.Decoded<ExportMetricsServiceRequest> d =
        decode(body, true, OtlpEncoding.JSON);
    assertThat(d.error()).isNull();
    assertThat(d.message().getResourceMetricsCount()).isEqualTo(1);
  }

  @Test
  void contentTypesAreMatchedWithoutParametersOrCase() {
    assertThat(OtlpEncoding.ofContentType("application/json; charset=utf-8"))
        .isEqualTo(OtlpEncoding.JSON);
    assertThat(OtlpEncoding.ofContentType("Application/X-Protobuf"))
        .isEqualTo(OtlpEncoding.PROTOBUF);
    assertThat(OtlpEncoding.ofContentType("text/plain")).isNull();
    assertThat(OtlpEncoding.ofContentType(null)).isNull();
  }

  private OtlpRequestDecoder.Decoded<ExportMetricsServiceRequest> decode(
      byte[] body, boolean gzip, OtlpEncoding encoding) {
    return decoder.decode(body, gzip, encoding, ExportMetricsServiceRequest.newBuilder());
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
