package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/gRPC far beyond what the gateway can take, for 30 s, against the packaged jar in a JVM of
 * 256 MiB: the heap stays bounded (the heap guard and the queue bounds refuse the excess with
 * UNAVAILABLE, which exporters retry), nothing else goes wrong, and every point the gateway
 * accepted is in the totals on /metrics.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class OverloadIT {
  static final int POINTS_PER_REQUEST = 4000;
  static final int IN_FLIGHT = 96;
  static final long RUN_MILLIS = 30_000;

  /**
   * Delta counters {@code load.points} with value 1, each point its own series ({@code
   * request_index}): about 200 KB, over the 128 KiB that is decoded in place, so each request is
   * decoded on a worker.
   */
  static byte[] request() {
    Sum.Builder sum =
        Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    for (int i = 0; i < POINTS_PER_REQUEST; i++) {
      sum.addDataPoints(
          NumberDataPoint.newBuilder()
              .setAsInt(1)
              .setTimeUnixNano(1)
              .addAttributes(OtlpRequests.attribute("series", Integer.toString(i % 400)))
              .addAttributes(OtlpRequests.attribute("request_index", Integer.toString(i))));
    }
    return OtlpRequests.request(Metric.newBuilder().setName("load.points").setSum(sum).build())
        .toByteArray();
  }

  @Test
  void manyTimesTheSustainableLoadIsRefusedRetryablyAndEveryAcceptedPointCounted(Vertx vertx)
      throws Exception {
    try (GatewayProcess g =
        GatewayProcess.run(
            List.of("-Xmx256m"),
            "--memory-limit-percent",
            "60",
            "--max-series-per-metric",
            "1000000",
            "--tick",
            "1s")) {
      Buffer body = Buffer.buffer(request());
      assertThat(body.length()).as("decoded on a worker").isGreaterThan(128 * 1024);
      GrpcClient grpc =
          GrpcClient.client(
              vertx,
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false)
                  .setHttp2MultiplexingLimit(IN_FLIGHT));
      SocketAddress server = SocketAddress.inetSocketAddress(g.otlpGrpcPort(), "127.0.0.1");
      AtomicLong acceptedPoints = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
      long end = System.currentTimeMillis() + RUN_MILLIS;
      Promise<Void> done = Promise.promise();
      AtomicLong running = new AtomicLong(IN_FLIGHT);
      for (int i = 0; i < IN_FLIGHT; i++) {
        vertx.runOnContext(
            v -> loop(grpc, server, body, end, sent, acceptedPoints, outcomes, running, done));
      }
      done.future().await(RUN_MILLIS + 60_000, TimeUnit.MILLISECONDS);

      long accepted = acceptedPoints.get();
      long offered = sent.get() * POINTS_PER_REQUEST;
      System.out.printf(
          "overload: %d requests (%d points) offered in %d s, %d points accepted (%.1f%%), outcomes %s%n",
          sent.get(),
          offered,
          RUN_MILLIS / 1000,
          accepted,
          100.0 * accepted / offered,
          new TreeMap<>(outcomes));
      assertThat(outcomes.keySet())
          .as("only OK and the retryable UNAVAILABLE")
          .isSubsetOf("OK", "UNAVAILABLE");
      assertThat(outcomes).containsKey("UNAVAILABLE");
      assertThat(accepted).isPositive();
      // every accepted point reaches the totals, and the guard lets ingest in again
      Exposition e =
          HttpProbe.of(vertx, g.httpPort())
              .scrapeUntil(
                  x ->
                      x.sum("load_points_total") == accepted
                          && x.value("tally_memory_limited") == 0)
              .await(20, TimeUnit.SECONDS);
      assertThat(e.value("tally_otlp_points_accepted_total{transport=\"grpc\"}"))
          .isEqualTo(accepted);
      long maxAfterGc = (long) e.value("tally_memory_after_gc_max_bytes");
      long maxLive = (long) e.value("tally_memory_live_estimate_max_bytes");
      long limit = (long) e.value("tally_memory_limit_bytes");
      System.out.printf(
          "overload: heap after GC at most %d MiB, live estimate at most %d MiB, memory limit %d MiB, -Xmx 256 MiB, guard refusals %s%n",
          maxAfterGc >> 20,
          maxLive >> 20,
          limit >> 20,
          e.value(
              "tally_otlp_requests_rejected_total{transport=\"grpc\",reason=\"memory_limit\"}"));
      System.out.printf(
          "overload: refusals by reason %s%n",
          new TreeMap<>(
              e.samples().entrySet().stream()
                  .filter(
                      x ->
                          x.getKey()
                              .startsWith("tally_otlp_requests_rejected_total{transport=\"grpc\""))
                  .filter(x -> x.getValue() > 0)
                  .collect(
                      java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))));
      // overload, not a ratio of speeds: the gateway refused for a retry (above) and took less
      // than was offered (7 to 10 times less measured alone, 2 times while a build ran beside)
      assertThat(offered).as("points offered against taken").isGreaterThan(accepted);
      assertThat(g.process().isAlive()).isTrue();
      assertThat(g.output()).doesNotContain("OutOfMemoryError");
      // the estimate lags (old garbage and live data promoted since the old generation's last
      // collection look alike), so the guard refuses once it reads over the limit, and it may
      // read a few MiB over before its refusal shows (132-161 MiB against 153 measured); what it
      // holds is the hard limit, halfway from the limit to -Xmx
      assertThat(maxLive)
          .as("the live heap (estimated) stays under the guard's hard limit")
          .isPositive() // a missing sample reads NaN, which a cast makes 0
          .isLessThan(limit + ((256L << 20) - limit) / 2);
      assertThat(maxAfterGc)
          .as("the heap after GC, as the JVM measured it")
          .isPositive()
          .isLessThan(256L << 20);
    }
  }

  @Test
  void overTheMemoryLimitIngestIsRefusedUntilTheLimitIsRaised(@TempDir Path dir, Vertx vertx)
      throws Exception {
    Path config = dir.resolve("tally.yaml");
    Files.writeString(config, "memory-limit-percent: 10\n"); // 6.4 MiB: less than an idle gateway
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx64m"), "--config", config.toString())) {
      HttpClient http = HttpClient.newHttpClient();
      byte[] body = OtlpRequests.request(OtlpRequests.gauge("guarded", 1)).toByteArray();
      URI export = URI.create("http://127.0.0.1:" + g.otlpHttpPort() + "/v1/metrics");
      // the guard knows the heap after the first collections, which traffic brings
      long deadline = System.currentTimeMillis() + 30_000;
      HttpResponse<String> refused;
      do {
        assertThat(System.currentTimeMillis()).as("refused within 30 s").isLessThan(deadline);
        refused = post(http, export, body);
      } while (refused.statusCode() == 200);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
      try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
        byte[] line = "guarded.statsd:1|c".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        udp.send(
            new java.net.DatagramPacket(
                line, line.length, java.net.InetAddress.getLoopbackAddress(), g.statsdPort()));
      }
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      Exposition e =
          probe
              .scrapeUntil(
                  x -> x.value("tally_statsd_packets_dropped_total{reason=\"memory_limit\"}") == 1)
              .await(20, TimeUnit.SECONDS);
      assertThat(e.value("tally_memory_limited")).isEqualTo(1);
      assertThat(
              e.value(
                  "tally_otlp_requests_rejected_total{transport=\"http\",reason=\"memory_limit\"}"))
          .isPositive();

      // a reload raises the limit; the guard asks for a collection and lets ingest in again
      Files.writeString(config, "memory-limit-percent: 90\n");
      deadline = System.currentTimeMillis() + 30_000;
      while (post(http, export, body).statusCode() != 200) {
        assertThat(System.currentTimeMillis())
            .as("accepted again within 30 s")
            .isLessThan(deadline);
      }
      assertThat(probe.scrape().await(20, TimeUnit.SECONDS).value("tally_memory_limited")).isZero();
    }
  }

  private static HttpResponse<String> post(HttpClient http, URI uri, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("content-type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void loop(
      GrpcClient grpc,
      SocketAddress server,
      Buffer body,
      long end,
      AtomicLong sent,
      AtomicLong acceptedPoints,
      Map<String, AtomicLong> outcomes,
      AtomicLong running,
      Promise<Void> done) {
    if (System.currentTimeMillis() >= end) {
      if (running.decrementAndGet() == 0) {
        done.complete();
      }
      return;
    }
    sent.incrementAndGet();
    export(grpc, server, body)
        .onComplete(
            ar -> {
              String outcome =
                  ar.succeeded() ? ar.result().status().name() : "FAILED: " + ar.cause();
              outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
              if (ar.succeeded() && ar.result().status() == GrpcStatus.OK) {
                acceptedPoints.addAndGet(POINTS_PER_REQUEST - ar.result().rejected());
              }
              loop(grpc, server, body, end, sent, acceptedPoints, outcomes, running, done);
            });
  }

  /** The status of one export and the points its partial success rejected. */
  record Result(GrpcStatus status, long rejected) {}

  private static Future<Result> export(GrpcClient grpc, SocketAddress server, Buffer body) {
    return grpc.request(server)
        .compose(
            req -> {
              req.fullMethodName("opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
              return req.send(body);
            })
        .compose(
            resp -> {
              Buffer[] message = new Buffer[1];
              resp.handler(b -> message[0] = b);
              return resp.end()
                  .transform(
                      ar -> {
                        long rejected = 0;
                        if (resp.status() == GrpcStatus.OK && message[0] != null) {
                          try {
                            rejected =
                                ExportMetricsServiceResponse.parseFrom(message[0].getBytes())
                                    .getPartialSuccess()
                                    .getRejectedDataPoints();
                          } catch (Exception e) {
                            return Future.failedFuture(e);
                          }
                        }
                        return Future.succeededFuture(new Result(resp.status(), rejected));
                      });
            });
  }
}
