package dev.tally.testing;

import dev.tally.gateway.Gateway;
import dev.tally.protocol.otlp.OtlpSignal;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Raw OTLP requests to a gateway, to see exactly what it answers: any bytes over gRPC (HTTP/2 with
 * prior knowledge, as exporters send, through OkHttp, the OTel SDK's own HTTP client) or over
 * HTTP/1.1 with any content type and encoding (the JDK's client).
 *
 * <p>It once used Vert.x's clients, chaining {@code .compose(resp -> resp.body())} from the test's
 * thread: when the answer had already come by the time the chain was in place, its body had passed
 * with no handler and the call waited forever (about once in 150 requests with the CPU busy; the
 * gateway's counters showed each request processed). Blocking clients have no such window.
 */
public final class OtlpClient implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Gateway gateway;
  private final OkHttpClient grpc =
      new OkHttpClient.Builder()
          .protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
          .callTimeout(TIMEOUT)
          .build();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public OtlpClient(Gateway gateway) {
    this.gateway = gateway;
  }

  /**
   * Sends one Export message and waits for the answer; with {@code encoding} gzip the message is
   * compressed here and flagged as such.
   */
  public GrpcResult grpc(byte[] message, String encoding) throws IOException {
    return grpc(OtlpSignal.METRICS, message, encoding);
  }

  /** As {@link #grpc(byte[], String)}, to the Export method of {@code signal}'s service. */
  public GrpcResult grpc(OtlpSignal signal, byte[] message, String encoding) throws IOException {
    boolean gzip = "gzip".equals(encoding);
    byte[] payload = gzip ? OtlpRequests.gzip(message) : message;
    ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
    frame.put((byte) (gzip ? 1 : 0)).putInt(payload.length).put(payload);
    Request request =
        new Request.Builder()
            .url(
                "http://127.0.0.1:"
                    + gateway.otlpGrpcPort()
                    + "/"
                    + signal.grpcService()
                    + "/Export")
            .header("te", "trailers")
            .header("grpc-encoding", encoding)
            .post(RequestBody.create(frame.array(), MediaType.get("application/grpc")))
            .build();
    try (Response response = grpc.newCall(request).execute()) {
      byte[] body = response.body().bytes();
      Headers trailers = response.trailers();
      String status = trailers.get("grpc-status");
      String statusMessage = trailers.get("grpc-message");
      if (status == null) { // a trailers-only answer
        status = response.header("grpc-status");
        statusMessage = response.header("grpc-message");
      }
      Buffer first = null;
      if (body.length >= 5) {
        int length = ByteBuffer.wrap(body, 1, 4).getInt();
        first = Buffer.buffer().appendBytes(body, 5, length);
      }
      return new GrpcResult(
          GrpcStatus.valueOf(Integer.parseInt(status)),
          statusMessage == null ? null : URLDecoder.decode(statusMessage, StandardCharsets.UTF_8),
          first);
    }
  }

  /** POSTs {@code body} to {@code /v1/metrics}; {@code contentEncoding} may be null. */
  public HttpResult http(byte[] body, String contentType, String contentEncoding) throws Exception {
    return http(OtlpSignal.METRICS, body, contentType, contentEncoding);
  }

  /** As {@link #http(byte[], String, String)}, to the path of {@code signal}. */
  public HttpResult http(OtlpSignal signal, byte[] body, String contentType, String contentEncoding)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.otlpHttpPort() + signal.httpPath()))
            .timeout(TIMEOUT)
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentEncoding != null) {
      b.header("content-encoding", contentEncoding);
    }
    HttpResponse<byte[]> r =
        http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return new HttpResult(
        r.statusCode(),
        r.headers().firstValue("content-type").orElse(null),
        r.headers().firstValue("retry-after").orElse(null),
        r.body());
  }

  @Override
  public void close() {
    grpc.dispatcher().executorService().shutdown();
    grpc.connectionPool().evictAll();
  }

  /** What a gRPC call ended with; {@code body} is null if no message came back. */
  public static final class GrpcResult {
    public final GrpcStatus status;
    public final String message;
    public final Buffer body;

    GrpcResult(GrpcStatus status, String message, Buffer body) {
      this.status = status;
      this.message = message;
      this.body = body;
    }
  }

  /** An HTTP response. */
  public static final class HttpResult {
    public final int status;
    public final String contentType;
    public final String retryAfter;
    public final byte[] body;

    HttpResult(int status, String contentType, String retryAfter, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.retryAfter = retryAfter;
      this.body = body;
    }
  }
}
