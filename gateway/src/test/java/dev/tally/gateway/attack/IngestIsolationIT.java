package dev.tally.gateway.attack;

import static dev.tally.gateway.attack.LiveFeedAttackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack D1, StatsD beside an OTLP load, against the packaged jar in a JVM of 256 MiB: 256
 * OTLP/HTTP requests always in flight, as many as the machine can drive, while a light StatsD flow
 * goes on. The StatsD sockets read on threads of their own, so the flow is counted whole; every
 * OTLP point acknowledged with 200 is in the totals, and the gateway stays live.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class IngestIsolationIT {
  static final int POINTS = 100;
  static final long RUN_MILLIS = 15_000;

  @Test
  void aLightStatsdFlowIsCountedWholeThroughAnOtlpOverload(Vertx vertx) throws Exception {
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      AtomicLong acknowledged = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      HttpClient otlp =
          vertx.createHttpClient(
              new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(g.otlpHttpPort()),
              new PoolOptions().setHttp1MaxSize(256));
      Buffer body = Buffer.buffer(OtlpRequests.deltaCounter("overload.points", POINTS));
      for (int i = 0; i < 256; i++) {
        post(otlp, body, acknowledged, stop);
      }
      long sent = 0;
      long start = System.currentTimeMillis();
      try (DatagramSocket udp = new DatagramSocket()) {
        byte[] line = "flow.c:1|c\nflow.c:1|c".getBytes(StandardCharsets.UTF_8);
        InetAddress local = InetAddress.getLoopbackAddress();
        while (System.currentTimeMillis() - start < RUN_MILLIS) {
          long due = (System.currentTimeMillis() - start); // one datagram per millisecond
          for (; sent / 2 < due; sent += 2) {
            udp.send(new DatagramPacket(line, line.length, local, g.statsdPort()));
          }
          LockSupport.parkNanos(1_000_000L); // paces the flow, synchronises nothing
        }
      }
      assertThat(await(probe.get("/health/live")).status).isEqualTo(200);
      stop.set(true);
      long lines = sent;
      Exposition e = await(probe.scrapeUntil(x -> x.value("flow_c_total") + lost(x) >= lines));
      assertThat(e.value("flow_c_total")).as("StatsD lines counted").isEqualTo(lines);
      Exposition settled =
          await(
              probe.scrapeUntil(
                  x -> x.value("overload_points_total{job=\"svc\"}") == acknowledged.get()));
      assertThat(settled.value("overload_points_total{job=\"svc\"}"))
          .as("OTLP points taken meanwhile")
          .isPositive();
    }
  }

  private static double lost(Exposition x) {
    return x.value("tally_statsd_kernel_drops_total");
  }

  /** Posts again as soon as each answer comes, until told to stop. */
  private static void post(
      HttpClient http, Buffer body, AtomicLong acknowledged, AtomicBoolean stop) {
    if (stop.get()) {
      return;
    }
    http.request(HttpMethod.POST, "/v1/metrics")
        .compose(
            req ->
                req.putHeader("content-type", "application/x-protobuf")
                    .send(body)
                    .compose(resp -> resp.body().map(b -> resp.statusCode())))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() == 200) {
                acknowledged.addAndGet(POINTS);
              }
              post(http, body, acknowledged, stop);
            });
  }
}
