package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.OtelSdk;
import dev.tally.testing.OtelTelemetry;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Histograms as a real Prometheus (Debian's, 2.42) scrapes them: native histograms in the protobuf
 * format it asks for with {@code --enable-feature=native-histograms}, classic histograms in the
 * OpenMetrics text it asks for otherwise.
 */
@ExtendWith(VertxExtension.class)
class HistogramsIT {
  /**
   * An OpenTelemetry SDK's exponential histogram becomes a native histogram in Prometheus:
   * histogram_quantile over its rate finds the SDK's own 0.99 quantile within the width of a bucket
   * (the SDK fits 1 ms to 1 s into 160 buckets: scale 4, buckets 4.4 % wide; or 3, 9 %).
   */
  @Test
  void anSdksExponentialHistogramIsANativeHistogramInPrometheus(Vertx vertx, @TempDir Path dir)
      throws Exception {
    TestGateway tally = TestGateway.start(vertx, "--tick", "500ms");
    try (PrometheusServer prometheus =
            PrometheusServer.scraping(vertx, dir, tally.gateway().httpPort(), "native-histograms");
        OtelSdk sdk =
            new OtelSdk(
                tally.gateway(),
                OtelSdk.Transport.GRPC,
                AggregationTemporality.CUMULATIVE,
                "rpc.latency")) {
      var h = sdk.provider().get("it").histogramBuilder("rpc.latency").setUnit("s").build();
      Attributes route = Attributes.of(AttributeKey.stringKey("route"), "/cart");
      String query = "histogram_quantile(0.99, rate(rpc_latency_seconds[1m]))";
      // 1 ms to 1 s evenly, every second: the 0.99 quantile of each round is 0.99 s, and rate needs
      // two scrapes of different counts
      Map<String, Double> q =
          during(
              vertx,
              1000,
              id ->
                  vertx.executeBlocking(
                      () -> {
                        for (int ms = 1; ms <= 1000; ms++) {
                          h.record(ms / 1000.0, route);
                        }
                        sdk.flush();
                        return null;
                      }),
              () ->
                  prometheus.queryUntil(query, r -> !r.isEmpty() && !r.containsValue(Double.NaN)));
      assertThat(q).hasSize(1);
      double p99 = q.values().iterator().next();
      assertThat(Math.abs(p99 - 0.99) / 0.99)
          .as("p99 %s against the SDK's 0.99", p99)
          .isLessThanOrEqualTo(Math.pow(2, 1.0 / 8) - 1);
      // Prometheus holds it as a native histogram: its raw sample is a histogram, not a value
      JsonObject raw = prometheus.get("/api/v1/query?query=rpc_latency_seconds");
      JsonArray result = raw.getJsonObject("data").getJsonArray("result");
      assertThat(result.size()).isEqualTo(1);
      assertThat(result.getJsonObject(0).containsKey("histogram")).as(raw.encode()).isTrue();
      // the text format keeps the summary
      assertThat(tally.scrape().await(20, TimeUnit.SECONDS).typeOf("rpc_latency_seconds"))
          .isEqualTo("summary");
      // a family of 2500 series goes in three messages of its name: Prometheus reads all of it
      for (int from = 0; from < 2500; from += 50) {
        StringBuilder packet = new StringBuilder();
        for (int i = from; i < from + 50; i++) {
          packet.append("many:1|c|#i:").append(i).append('\n');
        }
        tally.send(packet.toString());
      }
      assertThat(prometheus.queryUntil("count(many_total)", r -> r.containsValue(2500.0)))
          .containsValue(2500.0);
    } finally {
      tally.close();
    }
  }

  /**
   * StatsD timers as histograms reach Prometheus through the OpenMetrics page it asks for by
   * default, whose every line its parser takes (a failed scrape would leave {@code up} at 0), and
   * histogram_quantile works over them.
   */
  @Test
  void timersAsHistogramsReachPrometheusThroughOpenMetrics(Vertx vertx, @TempDir Path dir)
      throws Exception {
    TestGateway tally =
        TestGateway.start(
            vertx,
            "--tick",
            "500ms",
            "--statsd-observer-type",
            "both",
            "--statsd-histogram-buckets",
            "0.01,0.1,1");
    try (PrometheusServer prometheus =
        PrometheusServer.scraping(vertx, dir, tally.gateway().httpPort())) {
      String query =
          "histogram_quantile(0.5, sum by (le) (rate(checkout_latency_seconds_bucket[1m])))";
      StringBuilder packet = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        // 15 of 20 at 50 ms, between the bounds 0.01 and 0.1: the median is in that bucket
        packet.append("checkout.latency:").append(i < 15 ? 50 : 500).append("|ms|#env:prod\n");
      }
      Map<String, Double> q =
          during(
              vertx,
              500,
              id -> tally.send(packet.toString()),
              () ->
                  prometheus.queryUntil(query, r -> !r.isEmpty() && !r.containsValue(Double.NaN)));
      assertThat(q).hasSize(1);
      assertThat(q.values().iterator().next()).isBetween(0.01, 0.1);
      assertThat(prometheus.queryUntil("up{job=\"tally\"}", r -> true))
          .containsValue(1.0); // every scrape parsed
      Map<String, Double> median =
          prometheus.queryUntil(
              "checkout_latency_seconds_window{quantile=\"0.5\"}", r -> !r.isEmpty());
      assertThat(median.values().iterator().next())
          .isCloseTo(0.05, org.assertj.core.data.Percentage.withPercentage(1)); // 2 digits
      JsonObject meta = prometheus.get("/api/v1/metadata?metric=checkout_latency_seconds");
      assertThat(meta.encode()).contains("\"unit\":\"seconds\"", "\"type\":\"histogram\"");
      // OpenMetrics' _created: when the series began
      assertThat(prometheus.queryUntil("checkout_latency_seconds_created", r -> !r.isEmpty()))
          .allSatisfy((k, v) -> assertThat(v).isGreaterThan(1.7e9));
      // promtool (2.42) reads the text format 0.0.4 only: it checks the histograms' text page
      Promtool.assertClean(tally.scrape().await(20, TimeUnit.SECONDS).text());
    } finally {
      tally.close();
    }
  }

  /**
   * Spans become exemplars of the span RED histogram, only those of traces the store keeps (here
   * errors and half the others, by trace id): Prometheus stores them ({@code
   * --enable-feature=exemplar-storage}), from the OpenMetrics page or, with native histograms on,
   * from the protobuf one, and every trace id it returns opens in Tally.
   */
  @ParameterizedTest(name = "--enable-feature={0}")
  @ValueSource(strings = {"exemplar-storage", "native-histograms,exemplar-storage"})
  void spanExemplarsReachPrometheusAndOpenTheirTraces(
      String features, Vertx vertx, @TempDir Path dir) throws Exception {
    TestGateway tally = TestGateway.start(vertx, "--tick", "500ms", "--traces-sample-ratio", "0.5");
    try (PrometheusServer prometheus =
            PrometheusServer.scraping(vertx, dir, tally.gateway().httpPort(), "exemplar-storage");
        OtelTelemetry otel = new OtelTelemetry(tally.gateway(), OtelSdk.Transport.GRPC)) {
      Tracer tracer = otel.tracer("shop");
      JsonArray exemplars =
          during(
              vertx,
              500,
              id ->
                  vertx.executeBlocking(
                      () -> {
                        for (int i = 0; i < 20; i++) {
                          long now = System.currentTimeMillis() * 1_000_000L;
                          Span span =
                              tracer
                                  .spanBuilder("GET /cart")
                                  .setSpanKind(SpanKind.SERVER)
                                  .setStartTimestamp(
                                      now - (1 + i * 7) * 1_000_000L, TimeUnit.NANOSECONDS)
                                  .startSpan();
                          if (i == 0) {
                            span.setStatus(StatusCode.ERROR);
                          }
                          span.end(now, TimeUnit.NANOSECONDS);
                        }
                        otel.flush();
                        return null;
                      }),
              () ->
                  prometheus.exemplarsUntil(
                      "traces_span_metrics_duration_seconds_bucket", e -> e.size() >= 5));
      assertThat(exemplars.size()).isGreaterThanOrEqualTo(5);
      for (int i = 0; i < exemplars.size(); i++) {
        JsonObject labels = exemplars.getJsonObject(i).getJsonObject("labels");
        String traceId = labels.getString("trace_id");
        assertThat(traceId).hasSize(32);
        assertThat(labels.getString("span_id")).hasSize(16);
        assertThat(tally.get("/api/traces/" + traceId).await(20, TimeUnit.SECONDS).status)
            .as("trace %s", traceId)
            .isEqualTo(200);
      }
      // the series' history in the JSON API carries them too
      String key =
          "traces_span_metrics_duration_seconds{service_name=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /cart\",status_code=\"STATUS_CODE_UNSET\"}";
      JsonObject history =
          tally
              .getUntil(
                  "/api/series/"
                      + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                          .replace("+", "%20"),
                  r -> r.status == 200 && r.json().containsKey("exemplars"))
              .await(20, TimeUnit.SECONDS)
              .json();
      JsonObject first = history.getJsonArray("exemplars").getJsonObject(0);
      assertThat(first.getString("trace_id")).hasSize(32);
      assertThat(first.getDouble("value")).isBetween(0.0, 0.2);
    } finally {
      tally.close();
    }
  }

  /** Runs {@code traffic} every {@code periodMillis} until {@code poll} returns; its answer. */
  private static <T> T during(
      Vertx vertx, long periodMillis, io.vertx.core.Handler<Long> traffic, Callable<T> poll)
      throws Exception {
    long timer = vertx.setPeriodic(0, periodMillis, traffic);
    try {
      return poll.call();
    } finally {
      vertx.cancelTimer(timer);
    }
  }
}
