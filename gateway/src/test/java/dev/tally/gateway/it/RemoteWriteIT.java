package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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

  private static Map<String, Double> family(Exposition page, String prefix) {
    Map<String, Double> out = new TreeMap<>();
    page.samples()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                out.put(k, v);
              }
            });
    return out;
  }

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
      try (OtelSdk sdk =
          new OtelSdk(tally.gateway(), OtelSdk.Transport.GRPC, AggregationTemporality.CUMULATIVE)) {
        DoubleHistogram h =
            sdk.provider()
                .get("rw")
                .histogramBuilder("rw.duration")
                .setUnit("s")
                .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0))
                .build();
        for (double v : new double[] {0.05, 0.2, 0.7, 3}) {
          h.record(v, Attributes.of(AttributeKey.stringKey("route"), "/a"));
        }
        sdk.flush();
      }
      Exposition page =
          tally
              .scrapeUntil(
                  p ->
                      p.has("rw_requests_total{route=\"/b\"}")
                          && p.value("rw_latency_seconds_count") == 4
                          && family(p, "rw_duration").size() == 6)
              .await(20, TimeUnit.SECONDS);
      Map<String, Double> expected = family(page, "rw_");
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
}
