package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.tally.testing.Exposition;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenTelemetry Java SDK exports every instrument kind, over gRPC and http/protobuf, with
 * cumulative and with delta temporality; {@code /metrics} shows what CONTRACT §3 says, the same in
 * all four cases: delta points are accumulated into cumulative values.
 */
@ExtendWith(VertxExtension.class)
class OtlpSdkExportIT {
  /** The labels every series gets from the resource and the scope, sorted. */
  static final String BASE =
      "instance=\"i-1\",job=\"shop/checkout\",otel_scope_name=\"shop\",otel_scope_version=\"1.2.3\"";

  private TestGateway tally;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    tally.close();
  }

  static Stream<Arguments> transportsAndTemporalities() {
    return Stream.of(OtelSdk.Transport.values())
        .flatMap(
            t ->
                Stream.of(AggregationTemporality.CUMULATIVE, AggregationTemporality.DELTA)
                    .map(a -> Arguments.of(t, a)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndTemporalities")
  void everyInstrumentKindIsExposedAsTheContractSays(
      OtelSdk.Transport transport, AggregationTemporality temporality) throws Exception {
    AtomicReference<Double> cpu = new AtomicReference<>(12.5);
    AtomicReference<Long> heap = new AtomicReference<>(1024L);
    try (OtelSdk sdk = new OtelSdk(tally.gateway(), transport, temporality)) {
      Meter meter = sdk.provider().meterBuilder("shop").setInstrumentationVersion("1.2.3").build();
      Attributes routeA = Attributes.of(AttributeKey.stringKey("route"), "/a");
      LongCounter requests =
          meter
              .counterBuilder("http.requests")
              .setUnit("{request}")
              .setDescription("Requests served.")
              .build();
      DoubleCounter energy = meter.counterBuilder("energy").ofDoubles().setUnit("J").build();
      LongUpDownCounter queue = meter.upDownCounterBuilder("queue.items").setUnit("{item}").build();
      DoubleHistogram duration =
          meter
              .histogramBuilder("http.server.duration")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0))
              .build();
      DoubleGauge temperature = meter.gaugeBuilder("temperature").setUnit("Cel").build();
      meter
          .counterBuilder("cpu.time")
          .ofDoubles()
          .setUnit("s")
          .buildWithCallback(m -> m.record(cpu.get()));
      meter.upDownCounterBuilder("connections").buildWithCallback(m -> m.record(7));
      meter
          .gaugeBuilder("heap.used")
          .ofLongs()
          .setUnit("By")
          .buildWithCallback(m -> m.record(heap.get()));

      requests.add(3, routeA);
      energy.add(1.5);
      queue.add(10);
      queue.add(-4);
      for (double v : new double[] {0.05, 0.2, 0.7, 3}) {
        duration.record(v, routeA);
      }
      temperature.set(21.5);
      sdk.flush();

      requests.add(2, routeA);
      queue.add(-1);
      duration.record(0.05, routeA);
      temperature.set(22);
      cpu.set(20.0);
      heap.set(2048L);
      sdk.flush();

      String route = BASE + ",route=\"/a\"";
      String bucket = "http_server_duration_seconds_bucket{" + route + ",le=";
      Map<String, Double> expected = new LinkedHashMap<>();
      expected.put("http_requests_total{" + route + "}", 5.0);
      expected.put("energy_joules_total{" + BASE + "}", 1.5);
      expected.put("queue_items{" + BASE + "}", 5.0);
      expected.put("temperature_celsius{" + BASE + "}", 22.0);
      expected.put("cpu_time_seconds_total{" + BASE + "}", 20.0);
      expected.put("connections{" + BASE + "}", 7.0);
      expected.put("heap_used_bytes{" + BASE + "}", 2048.0);
      expected.put(bucket + "\"0.1\"}", 2.0);
      expected.put(bucket + "\"0.5\"}", 3.0);
      expected.put(bucket + "\"1\"}", 4.0);
      expected.put(bucket + "\"+Inf\"}", 5.0);
      expected.put("http_server_duration_seconds_count{" + route + "}", 5.0);
      // the series live on several shards, whose ticks reach /metrics one by one: wait for all
      Exposition m =
          tally
              .scrapeUntil(
                  e ->
                      expected.entrySet().stream()
                          .allMatch(x -> e.value(x.getKey()) == x.getValue()))
              .await(20, TimeUnit.SECONDS);
      assertThat(m.text())
          .contains("# HELP http_requests_total Requests served.\n")
          .contains("# TYPE http_requests_total counter\n")
          .contains("# TYPE http_server_duration_seconds histogram\n")
          .contains("# TYPE queue_items gauge\n");
      expected.forEach((sample, value) -> assertThat(m.value(sample)).as(sample).isEqualTo(value));
      assertThat(m.value("http_server_duration_seconds_sum{" + route + "}"))
          .isCloseTo(4.0, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(m.text())
          .containsPattern(
              "target_info\\{deployment_environment=\"test\",instance=\"i-1\",job=\"shop/checkout\",telemetry_sdk_language=\"java\",[^}]*\\} 1\n");
      String accepted =
          "tally_otlp_points_accepted_total{transport=\""
              + (transport == OtelSdk.Transport.GRPC ? "grpc" : "http")
              + "\"}";
      assertThat(m.value(accepted)).isGreaterThanOrEqualTo(16);
      Promtool.assertClean(m.text());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("transportsAndTemporalities")
  void exponentialHistogramPercentilesAreWithinTheBucketsRelativeWidth(
      OtelSdk.Transport transport, AggregationTemporality temporality) throws Exception {
    Random random = new Random(42);
    double[] values = new double[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = 20 * Math.exp(random.nextGaussian()); // log-normal, median 20 ms
    }
    try (OtelSdk sdk = new OtelSdk(tally.gateway(), transport, temporality, "rpc.latency")) {
      DoubleHistogram latency =
          sdk.provider().get("rpc").histogramBuilder("rpc.latency").setUnit("ms").build();
      for (int i = 0; i < values.length; i++) {
        latency.record(values[i]);
        if (i == values.length / 2) {
          sdk.flush(); // two exports: the second adds to the first (cumulative: by its increase)
        }
      }
      sdk.flush();
    }
    String series = "rpc_latency_milliseconds";
    String labels = "instance=\"i-1\",job=\"shop/checkout\",otel_scope_name=\"rpc\"";
    Exposition m =
        tally
            .scrapeUntil(e -> e.value(series + "_count{" + labels + "}") == values.length)
            .await(20, TimeUnit.SECONDS);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    // the SDK's scale: the largest (at most 20) at which the values fit in 160 buckets
    int scale = 20;
    while (index(sorted[sorted.length - 1], scale) - index(sorted[0], scale) + 1 > 160) {
      scale--;
    }
    double width = Math.pow(2, Math.pow(2, -scale)) - 1; // a bucket's relative width
    double tolerance = width + 0.01; // plus HdrHistogram's 2 significant digits
    for (double q : new double[] {0.5, 0.9, 0.95, 0.99, 0.999}) {
      double exact = sorted[(int) Math.ceil(q * sorted.length) - 1];
      double seen = m.value(series + "{" + labels + ",quantile=\"" + q + "\"}");
      assertThat(seen)
          .as("p" + q * 100 + " at scale " + scale)
          .isCloseTo(exact, withinPercentage(100 * tolerance));
    }
    assertThat(m.value(series + "_sum{" + labels + "}"))
        .isCloseTo(Arrays.stream(values).sum(), withinPercentage(1e-6));
  }

  /** The index of the bucket of {@code v} at {@code scale}, as OTLP defines it. */
  private static int index(double v, int scale) {
    return (int) Math.ceil(Math.log(v) / Math.log(2) * Math.pow(2, scale)) - 1;
  }
}
