package dev.tally.gateway.attack;

import static dev.tally.gateway.attack.LiveFeedAttackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.Hostile;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack F3, labels without bound, against the packaged jar in a JVM of 256 MiB: StatsD timers with
 * 8 KB tag values, OTLP points with a megabyte attribute or 100 000 attributes, and the {@code
 * target_info} of a resource of 300 000 attributes are rejected as {@code label_limits}, counted
 * and answered; the good series sent beside them (the resource's point too) are kept and every
 * scrape of {@code /metrics} stays small and succeeds.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class LabelsAttackIT {
  @Test
  void seriesOverTheLabelLimitsAreRejectedAndScrapesStaySmall(Vertx vertx) throws Exception {
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      String big = "v".repeat(8000);
      for (int batch = 0; batch < 10; batch++) { // paced: 8 KB datagrams would fill the socket
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
          lines.add("big.timer" + (batch * 400 + i) + ":1|ms|#k:" + big);
        }
        lines.add("small.timer:1|ms|#k:v");
        Hostile.statsd(g.statsdPort(), lines);
        int done = (batch + 1) * 400;
        await(
            probe.scrapeUntil(
                x ->
                    x.value("tally_statsd_lines_rejected_total{reason=\"label_limits\"}") >= done));
      }

      List<ExportMetricsServiceResponse> answers = new ArrayList<>();
      NumberDataPoint.Builder megabyte =
          NumberDataPoint.newBuilder()
              .setAsDouble(1)
              .addAttributes(OtlpRequests.attribute("k", "x".repeat(1 << 20)));
      NumberDataPoint.Builder many = NumberDataPoint.newBuilder().setAsDouble(1);
      for (int i = 0; i < 100_000; i++) {
        many.addAttributes(OtlpRequests.attribute("a" + i, "v"));
      }
      NumberDataPoint.Builder good =
          NumberDataPoint.newBuilder()
              .setAsDouble(1)
              .addAttributes(OtlpRequests.attribute("k", "v"));
      for (int i = 0; i < 5; i++) {
        answers.add(post(g.otlpHttpPort(), request(List.of(), gauge("wide", megabyte, good))));
      }
      answers.add(post(g.otlpHttpPort(), request(List.of(), gauge("many", many))));
      List<KeyValue> resource = new ArrayList<>();
      for (int i = 0; i < 300_000; i++) {
        resource.add(OtlpRequests.attribute("r" + i, "v"));
      }
      answers.add(post(g.otlpHttpPort(), request(resource, gauge("resourceful", good))));

      assertThat(answers)
          .extracting(a -> a.getPartialSuccess().getRejectedDataPoints())
          .containsExactly(1L, 1L, 1L, 1L, 1L, 1L, 1L);
      assertThat(answers.get(0).getPartialSuccess().getErrorMessage())
          .contains("over the limit of 2048");
      Exposition e =
          await(
              probe.scrapeUntil(
                  x ->
                      x.value("tally_statsd_lines_rejected_total{reason=\"label_limits\"}") == 4000
                          && x.value("small_timer_seconds_count{k=\"v\"}") == 10
                          && x.value("wide{job=\"svc\",k=\"v\"}") == 1
                          && x.value("resourceful{job=\"svc\",k=\"v\"}") == 1));
      assertThat(e.sum("tally_otlp_points_rejected_total", "reason", "label_limits")).isEqualTo(7);
      assertThat(e.text().length()).as("the page").isLessThan(2 << 20);
      // the resource with 300 000 attributes loses its target_info line, not its point
      assertThat(e.text()).doesNotContain("big_timer").doesNotContain("r299999");
    }
  }

  private static Metric gauge(String name, NumberDataPoint.Builder... points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (NumberDataPoint.Builder p : points) {
      g.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  private static ExportMetricsServiceRequest request(List<KeyValue> resource, Metric metric) {
    Resource.Builder r =
        Resource.newBuilder().addAttributes(OtlpRequests.attribute("service.name", "svc"));
    r.addAllAttributes(resource);
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(r)
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric)))
        .build();
  }

  private static ExportMetricsServiceResponse post(int port, ExportMetricsServiceRequest request)
      throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/metrics"))
                    .header("content-type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray()))
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as("status").isEqualTo(200);
    return ExportMetricsServiceResponse.parseFrom(r.body());
  }
}
