package dev.tally.verticles.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** What each protocol makes of an answer: taken, sent again, or refused for good. */
class WireTest {
  private static MultiMap headers(String... pairs) {
    MultiMap m = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      m.add(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static final MultiMap NONE = headers();

  @Test
  void remoteWriteRetries5xxAnd429AndDropsOther4xx() {
    Wire w = new RemoteWriteWire(URI.create("http://127.0.0.1:9090/api/v1/write"));
    Buffer empty = Buffer.buffer();
    assertThat(w.answer(Wire.REMOTE_WRITE, 204, NONE, NONE, empty).kind())
        .isEqualTo(Wire.Outcome.Kind.SENT);
    assertThat(w.answer(Wire.REMOTE_WRITE, 503, NONE, NONE, empty).kind())
        .isEqualTo(Wire.Outcome.Kind.RETRY);
    Wire.Outcome throttled =
        w.answer(Wire.REMOTE_WRITE, 429, headers("Retry-After", "7"), NONE, empty);
    assertThat(throttled.kind()).isEqualTo(Wire.Outcome.Kind.THROTTLED);
    assertThat(throttled.retryAfterMillis()).isEqualTo(7000);
    Wire.Outcome refused =
        w.answer(Wire.REMOTE_WRITE, 400, NONE, NONE, Buffer.buffer("out of order sample"));
    assertThat(refused.kind()).isEqualTo(Wire.Outcome.Kind.DROP);
    assertThat(refused.message()).isEqualTo("400 out of order sample");
    assertThat(w.request(Wire.REMOTE_WRITE).getHeaders().get("Content-Encoding"))
        .isEqualTo("snappy");
  }

  @Test
  void retryAfterTakesSecondsOrADateAndIsBounded() {
    assertThat(HttpAnswers.retryAfter("2")).isEqualTo(2000);
    assertThat(HttpAnswers.retryAfter("100000")).isEqualTo(HttpAnswers.MAX_RETRY_AFTER_MILLIS);
    assertThat(HttpAnswers.retryAfter("soon")).isEqualTo(-1);
    assertThat(HttpAnswers.retryAfter(null)).isEqualTo(-1);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(30));
    assertThat(HttpAnswers.retryAfter(date)).isBetween(25_000L, 30_000L);
  }

  @Test
  void otlpHttpCountsAPartialSuccessAndRetriesOnlyWhatTheSpecificationSays() {
    Wire w = new OtlpHttpWire(URI.create("http://127.0.0.1:4318/v1/metrics"), true);
    assertThat(w.request(Wire.OTLP_TRACES).getURI()).isEqualTo("/v1/traces");
    assertThat(w.request(Wire.OTLP_TRACES).getPort()).isEqualTo(4318);
    byte[] partial =
        ExportMetricsServiceResponse.newBuilder()
            .setPartialSuccess(
                ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(3)
                    .setErrorMessage("bad points"))
            .build()
            .toByteArray();
    Wire.Outcome sent = w.answer(Wire.OTLP_METRICS, 200, NONE, NONE, Buffer.buffer(partial));
    assertThat(sent.kind()).isEqualTo(Wire.Outcome.Kind.SENT);
    assertThat(sent.rejected()).isEqualTo(3);
    assertThat(sent.message()).isEqualTo("bad points");
    for (int retryable : new int[] {429, 502, 503, 504}) {
      assertThat(w.answer(Wire.OTLP_LOGS, retryable, NONE, NONE, Buffer.buffer()).kind())
          .isIn(Wire.Outcome.Kind.RETRY, Wire.Outcome.Kind.THROTTLED);
    }
    for (int refused : new int[] {400, 401, 413, 500}) {
      assertThat(w.answer(Wire.OTLP_LOGS, refused, NONE, NONE, Buffer.buffer()).kind())
          .isEqualTo(Wire.Outcome.Kind.DROP);
    }
  }

  @Test
  void otlpGrpcReadsTheStatusFromTheTrailersOrATrailersOnlyAnswer() {
    Wire w = new OtlpGrpcWire(URI.create("grpc://127.0.0.1:4317"), false);
    assertThat(w.request(Wire.OTLP_TRACES).getURI())
        .isEqualTo("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
    assertThat(w.request(Wire.OTLP_TRACES).isSsl()).isFalse();
    Buffer framed = w.body(new byte[] {1, 2, 3});
    assertThat(framed.getByte(0)).isZero();
    assertThat(framed.getInt(1)).isEqualTo(3);
    byte[] partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(2))
            .build()
            .toByteArray();
    Wire.Outcome ok =
        w.answer(Wire.OTLP_TRACES, 200, NONE, headers("grpc-status", "0"), w.body(partial));
    assertThat(ok.kind()).isEqualTo(Wire.Outcome.Kind.SENT);
    assertThat(ok.rejected()).isEqualTo(2);
    assertThat(
            w.answer(Wire.OTLP_TRACES, 200, headers("grpc-status", "14"), NONE, Buffer.buffer())
                .kind())
        .isEqualTo(Wire.Outcome.Kind.RETRY);
    assertThat(
            w.answer(Wire.OTLP_TRACES, 200, NONE, headers("grpc-status", "8"), Buffer.buffer())
                .kind())
        .isEqualTo(Wire.Outcome.Kind.THROTTLED);
    Wire.Outcome invalid =
        w.answer(
            Wire.OTLP_TRACES,
            200,
            NONE,
            headers("grpc-status", "3", "grpc-message", "bad span"),
            Buffer.buffer());
    assertThat(invalid.kind()).isEqualTo(Wire.Outcome.Kind.DROP);
    assertThat(invalid.message()).isEqualTo("gRPC status 3 bad span");
    assertThat(
            new OtlpGrpcWire(URI.create("grpcs://collector:4317"), true)
                .request(Wire.OTLP_LOGS)
                .isSsl())
        .isTrue();
  }

  @Test
  void otlpBodiesAreGzippedUnlessTheTargetSaysNone() throws Exception {
    byte[] payload =
        "a request, a request, a request".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Wire http = new OtlpHttpWire(URI.create("http://127.0.0.1:4318"), true);
    assertThat(http.request(Wire.OTLP_METRICS).getHeaders().get("Content-Encoding"))
        .isEqualTo("gzip");
    assertThat(gunzip(http.body(payload).getBytes())).isEqualTo(payload);
    Wire plain = new OtlpHttpWire(URI.create("http://127.0.0.1:4318"), false);
    assertThat(plain.request(Wire.OTLP_METRICS).getHeaders().get("Content-Encoding")).isNull();
    assertThat(plain.body(payload).getBytes()).isEqualTo(payload);

    Wire grpc = new OtlpGrpcWire(URI.create("grpc://127.0.0.1:4317"), true);
    assertThat(grpc.request(Wire.OTLP_LOGS).getHeaders().get("grpc-encoding")).isEqualTo("gzip");
    Buffer framed = grpc.body(payload);
    assertThat(framed.getByte(0)).isEqualTo((byte) 1); // compressed
    assertThat(framed.getInt(1)).isEqualTo(framed.length() - 5);
    assertThat(gunzip(framed.getBytes(5, framed.length()))).isEqualTo(payload);
  }

  private static byte[] gunzip(byte[] bytes) throws java.io.IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}
