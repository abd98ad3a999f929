package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus remote write into a real Prometheus (its receiver on), with the queue on disk: what
 * arrives equals {@code /metrics}; an outage loses nothing and keeps order; refusals and a full
 * queue are counted.
 */
@ExtendWith(VertxExtension.class)
class RemoteWriteIT {
  @TempDir Path dir;

  private TestGateway exporting(Vertx vertx, String url, String... more) throws Exception {
    List<String> flags =
        new ArrayList<>(
            List.of(
                "--export-remote-write",
                url,
                "--export-interval",
                "1s",
                "--data-dir",
                dir.resolve("data").toString()));
    flags.addAll(List.of(more));
    return TestGateway.start(vertx, flags.toArray(new String[0]));
  }

  @Test
  void prometheusHoldsExactlyWhatMetricsShows(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("prom"));
    try (PrometheusServer prom = PrometheusServer.start(vertx, dir.resolve("prom"));
        TestGateway tally = exporting(vertx, prom.writeUrl())) {
      tally.send("rw.requests:5|c|#route:/a\nrw.requests:2|c|#route:/b");
      tally.send("rw.latency:10|ms\nrw.latency:20|ms\nrw.latency:30|ms\nrw.latency:400|ms");
      OtelSdk.exportHistogram(tally.gateway(), "rw");
      Exposition page =
          tally
              .scrapeUntil(
                  p ->
                      p.has("rw_requests_total{route=\"/b\"}")
                          && p.value("rw_latency_seconds_count") == 4
                          && p.startingWith("rw_duration").size() == 6)
              .await(20, TimeUnit.SECONDS);
      Map<String, Double> expected = page.startingWith("rw_");
      assertThat(expected)
          .containsEntry("rw_requests_total{route=\"/a\"}", 5.0)
          .containsEntry("rw_latency_seconds_sum", 0.46)
          // two counters; 5 quantiles, sum and count; 3 buckets, +Inf, sum and count
          .hasSize(2 + 7 + 6);

      Map<String, Double> arrived =
          prom.queryUntil("{__name__=~\"rw_.*\"}", got -> got.equals(expected));
      assertThat(arrived).isEqualTo(expected);
      assertThat(
              tally
                  .scrape()
                  .await(20, TimeUnit.SECONDS)
                  .value(
                      "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\",target=\""
                          + "127.0.0.1_"
                          + prom.port()
                          + "_api_v1_write\"}"))
          .isZero();
    }
  }

  private static String target(int port) {
    return "target=\"127.0.0.1_" + port + "_api_v1_write\"";
  }

  @Test
  void anOutageOf30SecondsLosesNothingAndKeepsTheOrder(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("prom"));
    try (PrometheusServer prom = PrometheusServer.start(vertx, dir.resolve("prom"));
        TestGateway tally = exporting(vertx, prom.writeUrl())) {
      HttpProbe probe = HttpProbe.of(vertx, tally.gateway().httpPort());
      String t = target(prom.port());
      long traffic = vertx.setPeriodic(100, id -> tally.send("rw.outage:1|c"));
      try {
        prom.queryUntil("rw_outage_total", got -> !got.isEmpty());
        prom.stop();
        probe
            .getUntil(
                "/metrics",
                r ->
                    new Exposition(r.body)
                            .value("tally_export_oldest_unsent_age_seconds{" + t + "}")
                        >= 30,
                60_000)
            .await(70, TimeUnit.SECONDS);
        prom.start();
        probe
            .getUntil(
                "/metrics",
                r -> {
                  Exposition p = new Exposition(r.body);
                  return p.value("tally_export_queue_bytes{" + t + "}") == 0
                      && p.value("tally_export_oldest_unsent_age_seconds{" + t + "}") == 0;
                },
                60_000)
            .await(70, TimeUnit.SECONDS);
      } finally {
        vertx.cancelTimer(traffic);
      }
      Map<Long, Double> points =
          prom.rangeUntil("rw_outage_total[5m]", got -> !got.isEmpty(), 20_000)
              .get("rw_outage_total");
      List<Long> times = new ArrayList<>(points.keySet());
      assertThat(times.get(times.size() - 1) - times.get(0)).isGreaterThanOrEqualTo(30_000);
      for (int i = 1; i < times.size(); i++) {
        long gap = times.get(i) - times.get(i - 1);
        assertThat(gap)
            .as("an export interval of 1 s between samples %d and %d", i - 1, i)
            .isBetween(500L, 1500L);
        assertThat(points.get(times.get(i))).isGreaterThanOrEqualTo(points.get(times.get(i - 1)));
      }
      Exposition page = tally.scrape().await(20, TimeUnit.SECONDS);
      assertThat(
              page.value(
                  "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\"," + t + "}"))
          .isZero();
      assertThat(page.value("tally_export_retried_total{signal=\"samples\"," + t + "}"))
          .isPositive();
      assertThat(prom.log()).doesNotContain("out of order").doesNotContain("out of bounds");
      probe.close();
    }
  }

  @Test
  void aRefusalIsDroppedAndCountedOnceNeverRetried(Vertx vertx) throws Exception {
    AtomicInteger posts = new AtomicInteger();
    HttpServer refusing =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              posts.incrementAndGet();
                              req.response().setStatusCode(400).end("out of order sample");
                            }))
            .listen(0, "127.0.0.1")
            .await(20, TimeUnit.SECONDS);
    try (TestGateway tally =
        exporting(vertx, "http://127.0.0.1:" + refusing.actualPort() + "/api/v1/write")) {
      String t = target(refusing.actualPort());
      tally.send("rw.refused:1|c");
      Exposition page =
          tally
              .scrapeUntil(
                  p -> {
                    double encoded =
                        p.value("tally_export_encoded_total{signal=\"samples\"," + t + "}");
                    return encoded > 0
                        && p.value("tally_export_queue_bytes{" + t + "}") == 0
                        && encoded
                            == p.value(
                                "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\","
                                    + t
                                    + "}");
                  })
              .await(20, TimeUnit.SECONDS);
      double requests = page.value("tally_export_requests_total{" + t + "}");
      assertThat(requests).isPositive();
      assertThat(
              page.value("tally_export_request_failures_total{reason=\"client_error\"," + t + "}"))
          .isEqualTo(requests);
      assertThat(page.value("tally_export_retried_total{signal=\"samples\"," + t + "}")).isZero();
      assertThat(page.value("tally_export_sent_total{signal=\"samples\"," + t + "}")).isZero();
      assertThat(posts.get()).isGreaterThanOrEqualTo((int) requests);
    } finally {
      refusing.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullQueueDropsItsOldestAndCountsThem(Vertx vertx) throws Exception {
    int dead = TestGateway.freePort(); // nothing listens: every request fails and waits
    try (TestGateway tally =
        exporting(
            vertx,
            "http://127.0.0.1:" + dead + "/api/v1/write",
            "--export-queue-max-bytes",
            "1MiB")) {
      String t = target(dead);
      StringBuilder packet = new StringBuilder();
      for (int i = 0; i < 5000; i++) {
        packet.append("rw.full.series.with.a.long.name.").append(i).append(":1|c|#team:storage\n");
        if (i % 20 == 19) {
          tally.send(packet.toString());
          packet.setLength(0);
        }
      }
      Exposition page =
          tally
              .scrapeUntil(
                  p ->
                      p.value(
                              "tally_export_dropped_total{reason=\"queue_full\",signal=\"samples\","
                                  + t
                                  + "}")
                          > 0)
              .await(20, TimeUnit.SECONDS);
      assertThat(page.value("tally_export_queue_bytes{" + t + "}")).isLessThanOrEqualTo(1 << 20);
      assertThat(page.value("tally_export_request_failures_total{reason=\"network\"," + t + "}"))
          .isPositive();
      assertThat(page.value("tally_export_sent_total{signal=\"samples\"," + t + "}")).isZero();
    }
  }

  @Test
  void aTargetFailingForLongMakesHealthDegradedNotDown(Vertx vertx) throws Exception {
    int dead = TestGateway.freePort();
    try (TestGateway tally =
        exporting(
            vertx, "http://127.0.0.1:" + dead + "/api/v1/write", "--export-degraded-after", "2s")) {
      tally.send("rw.health:1|c");
      String name = "127.0.0.1_" + dead + "_api_v1_write";
      JsonObject failing =
          tally
              .getUntil(
                  "/api/overview",
                  r ->
                      !r.json().getJsonArray("exports").isEmpty()
                          && "failing"
                              .equals(
                                  r.json()
                                      .getJsonArray("exports")
                                      .getJsonObject(0)
                                      .getString("state")))
              .await(20, TimeUnit.SECONDS)
              .json();
      assertThat(failing.getJsonArray("exports").getJsonObject(0).getString("name"))
          .isEqualTo(name);
      assertThat(tally.get("/health").await(20, TimeUnit.SECONDS).json().getString("status"))
          .isEqualTo("UP");
      TestGateway.Response health =
          tally
              .getUntil("/health", r -> "DEGRADED".equals(r.json().getString("status")))
              .await(20, TimeUnit.SECONDS);
      assertThat(health.status).isEqualTo(200);
      JsonObject check =
          health.json().getJsonArray("checks").stream()
              .map(JsonObject.class::cast)
              .filter(c -> c.getString("name").equals("export"))
              .findFirst()
              .orElseThrow();
      assertThat(check.getString("status")).isEqualTo("DEGRADED");
      JsonObject target = check.getJsonObject("details").getJsonArray("targets").getJsonObject(0);
      assertThat(target.getString("state")).isEqualTo("degraded");
      assertThat(target.getLong("last_success")).isZero();
      assertThat(target.getLong("queue_bytes")).isPositive();
    }
  }

  @Test
  void anExpiredSeriesIsMarkedStaleAndLeavesPrometheusAtOnce(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("prom"));
    try (PrometheusServer prom = PrometheusServer.start(vertx, dir.resolve("prom"));
        TestGateway tally = exporting(vertx, prom.writeUrl(), "--series-ttl", "1s")) {
      tally.send("rw.short:7|g\nrw.kept:1|g");
      long kept = vertx.setPeriodic(200, id -> tally.send("rw.kept:1|g"));
      try {
        prom.queryUntil("rw_short", got -> got.equals(Map.of("rw_short", 7.0)));
        tally.scrapeUntil(p -> !p.has("rw_short") && p.has("rw_kept")).await(20, TimeUnit.SECONDS);
        // without the marker Prometheus would go on answering 7 for five minutes
        assertThat(
                prom.queryUntil(
                    "rw_short or rw_kept", got -> got.keySet().equals(Set.of("rw_kept"))))
            .containsOnlyKeys("rw_kept");
        Map<Long, Double> points =
            prom.rangeUntil("rw_short[5m]", got -> !got.isEmpty(), 20_000).get("rw_short");
        assertThat(points.values()).containsOnly(7.0); // range queries leave stale markers out
      } finally {
        vertx.cancelTimer(kept);
      }
    }
  }
}
