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
  void gzipMembersInARowAreOneBodyAndAnythingElseAfterAMemberIsRefused() throws Exception {
    byte[] a = gzip("abc".getBytes(StandardCharsets.US_ASCII));
    byte[] b = gzip("def".getBytes(StandardCharsets.US_ASCII));
    assertThat(OtlpRequestDecoder.inflate(concat(a, b), 100))
        .isEqualTo("abcdef".getBytes(StandardCharsets.US_ASCII));
    byte[] empty = gzip(ExportMetricsServiceRequest.getDefaultInstance().toByteArray());
    assertThat(decode(empty, true, OtlpEncoding.PROTOBUF).error()).isNull();
    a = empty; // a valid message: only the gzip framing can make these undecodable
    for (byte[] bad :
        new byte[][] {
          concat(a, "garbage".getBytes(StandardCharsets.US_ASCII)), // the JDK ignores it
          concat(a, new byte[] {0}),
          java.util.Arrays.copyOf(a, a.length - 1), // trailer cut
          java.util.Arrays.copyOf(a, 12), // data cut
          flip(a, a.length - 6), // checksum
        }) {
      assertThat(decode(bad, true, OtlpEncoding.PROTOBUF).error())
          .isEqualTo(OtlpRequestError.UNDECODABLE);
    }
  }

  @Test
  void gzipHeadersWithANameCommentExtraAndHeaderChecksumAreRead() throws Exception {
    byte[] plain = gzip("hello".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    h.write(new byte[] {3, 0, 'x', 'y', 'z'}); // extra
    h.write("name.bin\0".getBytes(StandardCharsets.US_ASCII));
    h.write("a comment\0".getBytes(StandardCharsets.US_ASCII));
    h.write(new byte[] {0, 0}); // header checksum (not checked, as by the JDK)
    h.write(plain, 10, plain.length - 10); // the deflate data and trailer of a plain member
    assertThat(OtlpRequestDecoder.inflate(h.toByteArray(), 100))
        .isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] flip(byte[] a, int at) {
    byte[] out = a.clone();
    out[at] ^= 1;
    return out;
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
