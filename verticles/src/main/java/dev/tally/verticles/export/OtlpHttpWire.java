package dev.tally.verticles.export;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * OTLP/HTTP with protobuf bodies: {@code POST <base>/v1/metrics}, {@code /v1/traces}, {@code
 * /v1/logs}. 2xx taken (a partial success's rejected items counted); 429, 502, 503 and 504 sent
 * again (after {@code Retry-After} if given), as the OTLP specification says; any other answer
 * refused for good.
 */
final class OtlpHttpWire implements Wire {
  private final String base;
  private final boolean gzip;

  /**
   * @param url the endpoint's base ({@code http://host:4318}), or one signal's URL ({@code
   *     .../v1/metrics}), whose {@code /v1/...} is taken off
   */
  OtlpHttpWire(URI url, boolean gzip) {
    this.gzip = gzip;
    String s = url.toString();
    int v1 = s.indexOf("/v1/");
    if (v1 >= 0) {
      s = s.substring(0, v1);
    }
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public RequestOptions request(int type) {
    RequestOptions r =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(base + "/v1/" + OtlpAnswers.signalPath(type))
            .putHeader("Content-Type", "application/x-protobuf")
            .putHeader("User-Agent", "Tally");
    if (gzip) {
      r.putHeader("Content-Encoding", "gzip");
    }
    return r;
  }

  @Override
  public Buffer body(byte[] payload) {
    return Buffer.buffer(gzip ? OtlpAnswers.gzip(payload) : payload);
  }

  @Override
  public Outcome answer(int type, int status, MultiMap headers, MultiMap trailers, Buffer body) {
    if (status / 100 == 2) {
      return OtlpAnswers.sent(type, body.getBytes());
    }
    return HttpAnswers.of(
        status, headers, body, status == 429 || status == 502 || status == 503 || status == 504);
  }
}
