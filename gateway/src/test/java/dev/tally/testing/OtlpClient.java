package dev.tally.testing;

import dev.tally.gateway.Gateway;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.concurrent.TimeUnit;

/**
 * Raw OTLP requests to a gateway, to see exactly what it answers: any bytes over gRPC (HTTP/2, as
 * exporters send) or over HTTP/1.1 with any content type and encoding.
 */
public final class OtlpClient implements AutoCloseable {
  static final String EXPORT = "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

  private final Gateway gateway;
  private final GrpcClient grpc;
  private final HttpClient http;

  public OtlpClient(Vertx vertx, Gateway gateway) {
    this.gateway = gateway;
    this.grpc =
        GrpcClient.client(
            vertx,
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false));
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"));
  }

  /** Sends one Export message ({@code encoding} identity or gzip) and waits for the answer. */
  public GrpcResult grpc(byte[] message, String encoding) throws Exception {
    return grpc.request(SocketAddress.inetSocketAddress(gateway.otlpGrpcPort(), "127.0.0.1"))
        .compose(
            req -> {
              req.fullMethodName(EXPORT).encoding(encoding);
              return req.send(Buffer.buffer(message));
            })
        .compose(
            resp -> {
              Promise<GrpcResult> result = Promise.promise();
              Buffer[] body = new Buffer[1];
              resp.handler(b -> body[0] = b);
              resp.exceptionHandler(result::tryFail);
              resp.endHandler(
                  v ->
                      result.tryComplete(
                          new GrpcResult(resp.status(), resp.statusMessage(), body[0])));
              return result.future();
            })
        .await(20, TimeUnit.SECONDS);
  }

  /** POSTs {@code body} to {@code /v1/metrics}; {@code contentEncoding} may be null. */
  public HttpResult http(byte[] body, String contentType, String contentEncoding) throws Exception {
    return http.request(HttpMethod.POST, gateway.otlpHttpPort(), "127.0.0.1", "/v1/metrics")
        .compose(
            req -> {
              req.putHeader("content-type", contentType);
              if (contentEncoding != null) {
                req.putHeader("content-encoding", contentEncoding);
              }
              return req.send(Buffer.buffer(body));
            })
        .compose(
            resp ->
                resp.body()
                    .map(
                        b ->
                            new HttpResult(
                                resp.statusCode(),
                                resp.getHeader("content-type"),
                                resp.getHeader("retry-after"),
                                b.getBytes())))
        .await(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    grpc.close().await(10, TimeUnit.SECONDS);
    http.close().await(10, TimeUnit.SECONDS);
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
