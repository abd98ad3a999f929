package dev.tally.gateway.it;

import static dev.tally.testing.OtlpRequests.attribute;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.OtlpClient;
import dev.tally.testing.TestGateway;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JSON request written by hand in the OTLP JSON encoding (camelCase names, enums as numbers,
 * 64-bit integers as strings, an unknown field) gives the same series as its protobuf twin, each
 * sent to a gateway of its own.
 */
@ExtendWith(VertxExtension.class)
class OtlpJsonIT {
  static final long START = 1_700_000_000_000_000_000L;
  static final long TIME = 1_700_000_060_000_000_000L;

  @Test
  void handWrittenJsonGivesTheSameSeriesAsItsProtobufTwin(Vertx vertx) throws Exception {
    byte[] json;
    try (InputStream in = getClass().getResourceAsStream("/otlp/metrics-request.json")) {
      json = in.readAllBytes();
    }
    String fromJson = userSeries(vertx, json, "application/json");
    String fromProtobuf = userSeries(vertx, twin().toByteArray(), "application/x-protobuf");

    assertThat(fromJson).isEqualTo(fromProtobuf);
    Exposition m = new Exposition(fromJson);
    String base =
        "instance=\"pod-7\",job=\"cart\",otel_scope_name=\"cart.metrics\",otel_scope_version=\"2.0\"";
    assertThat(m.value("orders_placed_total{" + base + ",payment_method=\"card\"}")).isEqualTo(42);
    assertThat(m.value("cart_value{" + base + "}")).isEqualTo(19.5);
    assertThat(m.value("checkout_duration_milliseconds_bucket{" + base + ",le=\"100\"}"))
        .isEqualTo(1);
    assertThat(m.value("checkout_duration_milliseconds_bucket{" + base + ",le=\"500\"}"))
        .isEqualTo(3);
    assertThat(m.value("checkout_duration_milliseconds_bucket{" + base + ",le=\"+Inf\"}"))
        .isEqualTo(6);
    assertThat(m.value("checkout_duration_milliseconds_sum{" + base + "}")).isEqualTo(1234.5);
    assertThat(m.value("payload_size_bytes_count{" + base + "}")).isEqualTo(4);
    assertThat(m.value("payload_size_bytes_sum{" + base + "}")).isEqualTo(5000);
    assertThat(m.value("db_query_time_seconds{" + base + ",quantile=\"0.99\"}")).isEqualTo(0.9);
    assertThat(m.value("target_info{host_name=\"node-1\",instance=\"pod-7\",job=\"cart\"}"))
        .isEqualTo(1);
    assertThat(fromJson).contains("# HELP orders_placed_total Orders placed.\n");
  }

  @Test
  void requestsOverTheInlineLimitAreKeptWhole(Vertx vertx) throws Exception {
    io.opentelemetry.proto.metrics.v1.Gauge.Builder gauge =
        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder();
    for (int i = 0; i < 5000; i++) {
      gauge.addDataPoints(
          NumberDataPoint.newBuilder()
              .addAttributes(attribute("item", "item-" + i))
              .setAsDouble(i));
    }
    ExportMetricsServiceRequest req =
        dev.tally.testing.OtlpRequests.request(
            Metric.newBuilder().setName("stock").setGauge(gauge).build());
    byte[] protobuf = req.toByteArray();
    byte[] json =
        com.google.protobuf.util.JsonFormat.printer()
            .print(req)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // over the inline limit, so these go the worker path (which thread ran them is not checked
    // here)
    assertThat(protobuf.length).isGreaterThan(128 * 1024);
    try (TestGateway tally = TestGateway.start(vertx);
        OtlpClient client = new OtlpClient(tally.gateway())) {
      assertThat(client.grpc(protobuf, "identity").status)
          .isEqualTo(io.vertx.grpc.common.GrpcStatus.OK);
      assertThat(client.http(json, "application/json", null).status).isEqualTo(200);
      Exposition m =
          tally
              .scrapeUntil(e -> e.value("stock{item=\"item-4999\",job=\"svc\"}") == 4999)
              .await(20, TimeUnit.SECONDS);
      assertThat(m.value("tally_otlp_points_accepted_total{transport=\"grpc\"}")).isEqualTo(5000);
      assertThat(m.value("tally_otlp_points_accepted_total{transport=\"http\"}")).isEqualTo(5000);
      assertThat(m.value("tally_series_active")).isEqualTo(5000);
    }
  }

  /** Sends the body to a fresh gateway; returns its user series once all five are there. */
  private static String userSeries(Vertx vertx, byte[] body, String contentType) throws Exception {
    try (TestGateway tally = TestGateway.start(vertx);
        OtlpClient client = new OtlpClient(tally.gateway())) {
      assertThat(client.http(body, contentType, null).status).isEqualTo(200);
      Exposition m =
          tally
              // every family of the request, whatever shard it is on, has reached /metrics
              .scrapeUntil(
                  e ->
                      List.of(
                              "orders_placed_total{",
                              "cart_value{",
                              "checkout_duration_milliseconds_count{",
                              "payload_size_bytes_count{",
                              "db_query_time_seconds_count{",
                              "target_info{")
                          .stream()
                          .allMatch(e.text()::contains))
              .await(20, TimeUnit.SECONDS);
      return m.text()
          .lines()
          .filter(
              l ->
                  !l.startsWith("tally_")
                      && !l.startsWith("# HELP tally_")
                      && !l.startsWith("# TYPE tally_"))
          .collect(Collectors.joining("\n"));
    }
  }

  /** The request of {@code metrics-request.json}, built with the proto classes. */
  static ExportMetricsServiceRequest twin() {
    AggregationTemporality cumulative = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    AggregationTemporality delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    List<Metric> metrics =
        List.of(
            Metric.newBuilder()
                .setName("orders.placed")
                .setUnit("{order}")
                .setDescription("Orders placed.")
                .setSum(
                    Sum.newBuilder()
                        .setAggregationTemporality(cumulative)
                        .setIsMonotonic(true)
                        .addDataPoints(
                            NumberDataPoint.newBuilder()
                                .addAttributes(attribute("payment.method", "card"))
                                .setStartTimeUnixNano(START)
                                .setTimeUnixNano(TIME)
                                .setAsInt(42)))
                .build(),
            Metric.newBuilder()
                .setName("cart.value")
                .setUnit("1")
                .setGauge(
                    Gauge.newBuilder()
                        .addDataPoints(
                            NumberDataPoint.newBuilder().setTimeUnixNano(TIME).setAsDouble(19.5)))
                .build(),
            Metric.newBuilder()
                .setName("checkout.duration")
                .setUnit("ms")
                .setHistogram(
                    Histogram.newBuilder()
                        .setAggregationTemporality(delta)
                        .addDataPoints(
                            HistogramDataPoint.newBuilder()
                                .setStartTimeUnixNano(START)
                                .setTimeUnixNano(TIME)
                                .setCount(6)
                                .setSum(1234.5)
                                .addAllBucketCounts(List.of(1L, 2L, 3L))
                                .addAllExplicitBounds(List.of(100.0, 500.0))))
                .build(),
            Metric.newBuilder()
                .setName("payload.size")
                .setUnit("By")
                .setExponentialHistogram(
                    ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(delta)
                        .addDataPoints(
                            ExponentialHistogramDataPoint.newBuilder()
                                .setCount(4)
                                .setSum(5000)
                                .setScale(0)
                                .setPositive(
                                    ExponentialHistogramDataPoint.Buckets.newBuilder()
                                        .setOffset(9)
                                        .addAllBucketCounts(List.of(1L, 2L, 1L)))))
                .build(),
            Metric.newBuilder()
                .setName("db.query.time")
                .setUnit("s")
                .setSummary(
                    Summary.newBuilder()
                        .addDataPoints(
                            SummaryDataPoint.newBuilder()
                                .setCount(10)
                                .setSum(2.5)
                                .addQuantileValues(
                                    SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.5)
                                        .setValue(0.2))
                                .addQuantileValues(
                                    SummaryDataPoint.ValueAtQuantile.newBuilder()
                                        .setQuantile(0.99)
                                        .setValue(0.9))))
                .build());
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(attribute("service.name", "cart"))
                        .addAttributes(attribute("service.instance.id", "pod-7"))
                        .addAttributes(attribute("host.name", "node-1")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder()
                                .setName("cart.metrics")
                                .setVersion("2.0"))
                        .addAllMetrics(metrics)))
        .build();
  }
}
