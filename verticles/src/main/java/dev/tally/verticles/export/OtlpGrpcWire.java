package dev.tally.verticles.export;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;

/**
 * OTLP/gRPC over HTTP/2 ({@code grpc://} without TLS, prior knowledge; {@code grpcs://} with TLS
 * and ALPN): one unary Export call per request, its message framed as gRPC frames it
 * (gzip-compressed, {@code grpc-encoding: gzip}, unless the target says {@code compression: none}).
 * Status OK: taken (a partial success's rejected items counted); the statuses the OTLP
 * specification calls retryable (CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE,
 * DATA_LOSS) and RESOURCE_EXHAUSTED: sent again; any other: refused for good.
 */
final class OtlpGrpcWire implements Wire {
  private static final List<Integer> RETRYABLE = List.of(1, 4, 10, 11, 14, 15);
  private static final int RESOURCE_EXHAUSTED = 8;

  private final String base;
  private final boolean gzip;

  OtlpGrpcWire(URI url, boolean gzip) {
    this.gzip = gzip;
    String scheme = "grpcs".equalsIgnoreCase(url.getScheme()) ? "https" : "http";
    this.base = scheme + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public HttpClientOptions client(HttpClientOptions options) {
    return options
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false)
        .setUseAlpn(options.isSsl());
  }

  @Override
  public RequestOptions request(int type) {
    RequestOptions r =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(base + "/" + OtlpAnswers.service(type) + "/Export")
            .putHeader("content-type", "application/grpc")
            .putHeader("te", "trailers")
            .putHeader("user-agent", "Tally");
    if (gzip) {
      r.putHeader("grpc-encoding", "gzip");
    }
    return r;
  }

  @Override
  public Buffer body(byte[] payload) {
    byte[] message = gzip ? OtlpAnswers.gzip(payload) : payload;
    return Buffer.buffer(message.length + 5)
        .appendByte((byte) (gzip ? 1 : 0)) // compressed, by grpc-encoding
        .appendInt(message.length)
        .appendBytes(message);
  }

  @Override
  public Outcome answer(int type, int status, MultiMap headers, MultiMap trailers, Buffer body) {
    if (status != 200) {
      return HttpAnswers.of(status, headers, body, status == 429 || status / 100 == 5);
    }
    String grpcStatus = trailers.get("grpc-status");
    if (grpcStatus == null) {
      grpcStatus = headers.get("grpc-status"); // a trailers-only answer
    }
    int code;
    try {
      code = grpcStatus == null ? 2 : Integer.parseInt(grpcStatus.trim());
    } catch (NumberFormatException e) {
      code = 2; // UNKNOWN
    }
    if (code == 0) {
      byte[] message = body.length() >= 5 ? body.getBytes(5, body.length()) : new byte[0];
      return OtlpAnswers.sent(type, message);
    }
    String why =
        trailers.get("grpc-message") != null
            ? trailers.get("grpc-message")
            : headers.get("grpc-message");
    if (code == RESOURCE_EXHAUSTED) {
      return Outcome.throttled(-1);
    }
    return RETRYABLE.contains(code)
        ? Outcome.retry(-1)
        : Outcome.drop("gRPC status " + code + (why == null ? "" : " " + why));
  }
}
