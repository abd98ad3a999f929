package dev.tally.gateway.attack;

import static dev.tally.gateway.attack.LiveFeedAttackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.Hostile;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks F4 and F5 on the TCP listeners, against the packaged jar in a JVM of 256 MiB: uploads
 * that stop half-way (HTTP, and gRPC streams over one HTTP/2 connection) take no more than the body
 * budget and are ended at the request timeout; idle connections beyond the limit are closed at once
 * and the others at the idle timeout. Through both the gateway stays live, StatsD is counted, and
 * OTLP is answered again once the attackers are gone.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class SlowClientsAttackIT {
  static final String METRICS_PATH =
      "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

  @Test
  void stalledUploadsTakeNoMoreThanTheBudgetAndEndAtTheTimeout(Vertx vertx) throws Exception {
    try (GatewayProcess g =
            GatewayProcess.run(
                List.of("-Xmx256m"), "--max-inflight-bytes", "16MiB", "--request-timeout", "3s");
        Hostile hostile = new Hostile()) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      hostile.stalledUploads(g.otlpHttpPort(), "/v1/metrics", 20, 8_000_000, 3_000_000);
      List<Future<Integer>> grpc = stalledGrpcStreams(vertx, g.otlpGrpcPort(), 20, 3_000_000);

      long sent = 0;
      Exposition e;
      long deadline = System.currentTimeMillis() + 60_000;
      double maxHeld = 0;
      do {
        Hostile.statsd(g.statsdPort(), List.of("attack.sent:1|c", "attack.sent:1|c"));
        sent += 2;
        assertThat(await(probe.get("/health/live")).status).isEqualTo(200);
        e = await(probe.scrape());
        maxHeld = Math.max(maxHeld, e.value("tally_otlp_inflight_bytes"));
      } while (ended(e) < 40 && System.currentTimeMillis() < deadline);

      // each of the 40 uploads ended one of the two ways, and the held bytes never went over
      assertThat(ended(e)).isEqualTo(40);
      assertThat(maxHeld).isPositive().isLessThanOrEqualTo(16 << 20);
      assertThat(e.value("tally_otlp_inflight_bytes")).isZero();
      assertThat(e.value("tally_otlp_requests_over_budget_total"))
          .as("uploads beyond the budget refused")
          .isPositive();
      assertThat(e.value("tally_otlp_requests_timed_out_total"))
          .as("uploads within the budget ended at the timeout")
          .isGreaterThanOrEqualTo(2);
      // the refused gRPC streams were answered UNAVAILABLE (14), the stalled ones reset
      List<Integer> answers = new ArrayList<>();
      for (Future<Integer> f : grpc) {
        answers.add(await(f.otherwise(-1)));
      }
      assertThat(answers).contains(14);
      long expected = sent;
      await(probe.scrapeUntil(x -> x.value("attack_sent_total") == expected));
      assertThat(postGauge(g.otlpHttpPort(), "after.attack")).isEqualTo(200);
      await(probe.scrapeUntil(x -> x.value("after_attack{job=\"svc\"}") == 1));
    }
  }

  @Test
  void idleConnectionsBeyondTheLimitAreClosedAtOnceAndTheRestAtTheIdleTimeout(Vertx vertx)
      throws Exception {
    try (GatewayProcess g =
            GatewayProcess.run(
                List.of("-Xmx256m"), "--max-connections", "100", "--idle-timeout", "3s");
        Hostile hostile = new Hostile()) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      int files = Hostile.openFiles(g.process());
      // the gRPC port speaks h2c: Vert.x meets its connections only once they have sent bytes
      hostile.idle(g.otlpGrpcPort(), 400).idle(g.otlpHttpPort(), 400);
      Exposition e =
          await(
              probe.scrapeUntil(
                  x ->
                      x.value("tally_connections_refused_total{listener=\"otlp-grpc\"}") >= 300
                          && x.value("tally_connections_refused_total{listener=\"otlp-http\"}")
                              >= 300));
      for (String listener : List.of("otlp-grpc", "otlp-http")) {
        assertThat(e.value("tally_connections_open{listener=\"" + listener + "\"}"))
            .as(listener)
            .isLessThanOrEqualTo(100);
      }
      assertThat(Hostile.openFiles(g.process())).isLessThan(files + 250);
      assertThat(await(probe.get("/health/live")).status).isEqualTo(200);
      Hostile.statsd(g.statsdPort(), List.of("attack.sent:1|c"));
      await(
          probe.scrapeUntil(
              x ->
                  x.value("tally_connections_open{listener=\"otlp-grpc\"}") == 0
                      && x.value("tally_connections_open{listener=\"otlp-http\"}") == 0));
      await(probe.scrapeUntil(x -> x.value("attack_sent_total") == 1));
      assertThat(postGauge(g.otlpHttpPort(), "after.attack")).isEqualTo(200);
      assertThat(grpcGauge(vertx, g.otlpGrpcPort(), "after.grpc.attack")).isEqualTo(0);
      await(probe.scrapeUntil(x -> x.value("after_grpc_attack{job=\"svc\"}") == 1));
    }
  }

  /** Uploads refused over the budget or ended at the timeout. */
  private static double ended(Exposition e) {
    return e.value("tally_otlp_requests_over_budget_total")
        + e.value("tally_otlp_requests_timed_out_total");
  }

  /**
   * {@code n} gRPC calls over one HTTP/2 connection, each declaring an 8 MB message and sending
   * {@code bytes} of it; each future gives the call's grpc-status, or fails if it was reset.
   */
  private static List<Future<Integer>> stalledGrpcStreams(Vertx vertx, int port, int n, int bytes)
      throws Exception {
    HttpClient h2 = h2c(vertx);
    List<Future<Integer>> calls = new ArrayList<>();
    Buffer prefix = Buffer.buffer().appendByte((byte) 0).appendInt(8_000_000);
    Buffer part = Buffer.buffer(new byte[bytes]);
    for (int i = 0; i < n; i++) {
      HttpClientRequest req = await(h2.request(export(port)));
      req.setChunked(true);
      calls.add(
          req.response()
              .map(
                  resp -> {
                    String s = resp.getHeader("grpc-status");
                    return s == null ? -1 : Integer.parseInt(s);
                  }));
      req.write(prefix);
      req.write(part);
    }
    return calls;
  }

  /** An HTTP/2 client over plain TCP (prior knowledge), as gRPC clients connect. */
  static HttpClient h2c(Vertx vertx) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setHttp2MultiplexingLimit(1000));
  }

  /** A gRPC call of {@code MetricsService/Export} on {@code port}. */
  static RequestOptions export(int port) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(METRICS_PATH)
        .putHeader("content-type", "application/grpc")
        .putHeader("te", "trailers");
  }

  /** Exports one gauge over gRPC; the grpc-status. */
  static int grpcGauge(Vertx vertx, int port, String name) throws Exception {
    byte[] message = OtlpRequests.request(OtlpRequests.gauge(name, 1)).toByteArray();
    HttpClient h2 = h2c(vertx);
    try {
      HttpClientRequest req = await(h2.request(export(port)));
      Buffer body =
          Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message);
      return await(
          req.send(body)
              .compose(
                  resp ->
                      resp.end()
                          .map(
                              v -> {
                                String s = resp.getTrailer("grpc-status");
                                return Integer.parseInt(
                                    s != null ? s : resp.getHeader("grpc-status"));
                              })));
    } finally {
      h2.close();
    }
  }

  /** POSTs one gauge as OTLP/HTTP protobuf; the status. */
  static int postGauge(int port, String name) throws Exception {
    byte[] body = OtlpRequests.request(OtlpRequests.gauge(name, 1)).toByteArray();
    return java.net.http.HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/metrics"))
                .header("content-type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
