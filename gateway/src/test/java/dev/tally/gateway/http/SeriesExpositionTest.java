package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.HistogramLayout;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_31_1.Metrics;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user series' page written a piece at a time, from a real shard's tick. */
class SeriesExpositionTest {
  private static final long T0 = 1_700_000_000_000L;

  /** One tick of a shard that took {@code lines}. */
  private static TickSnapshot tick(List<String> lines) {
    return tick(lines, HistogramLayout.SUMMARY);
  }

  /** One tick of a shard that took {@code lines}, its timers exposed as {@code layout} says. */
  private static TickSnapshot tick(List<String> lines, HistogramLayout layout) {
    ShardAggregator shard =
        new ShardAggregator(
            0,
            new AggregatorOptions().setStatsdLayout(layout),
            new SeriesLimiter(100_000),
            new PipelineStats());
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), T0);
    return new TickAssembler(1).add(shard.tick(T0 + 1000));
  }

  /** One tick of a shard that took the OTLP points of {@code batch}. */
  private static TickSnapshot tick(dev.tally.protocol.otlp.OtlpBatch batch) {
    ShardAggregator shard =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(100), new PipelineStats());
    shard.accept(batch.seal(), T0);
    return new TickAssembler(1).add(shard.tick(T0 + 1000));
  }

  /** The OpenMetrics page of {@code tick}, whole. */
  private static String openMetrics(TickSnapshot tick) {
    return pieces(tick, Integer.MAX_VALUE, ExpositionFormat.OPENMETRICS).get(0).toString();
  }

  private static List<String> pieces(TickSnapshot tick, int chars) {
    return pieces(tick, chars, ExpositionFormat.TEXT).stream().map(Buffer::toString).toList();
  }

  private static List<Buffer> pieces(TickSnapshot tick, int bytes, ExpositionFormat format) {
    SeriesExposition page = new SeriesExposition(tick, format);
    List<Buffer> pieces = new ArrayList<>();
    while (!page.done()) {
      pieces.add(page.next(bytes));
    }
    return pieces;
  }

  private static List<String> latencies() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      lines.add("latency:" + (1 + i % 50) + "|ms|#route:r" + (i % 7));
    }
    lines.add("jobs:2|c");
    return lines;
  }

  @Test
  void bothWritesTheHistogramThenTheWindowSummaryAsAFamilyOfItsOwn() {
    TickSnapshot tick =
        tick(latencies(), new HistogramLayout(ObserverType.BOTH, new double[] {0.01, 0.1}, false));
    String whole = pieces(tick, Integer.MAX_VALUE).get(0);
    assertThat(String.join("", pieces(tick, 50))).isEqualTo(whole);
    assertThat(whole.split("# TYPE latency_seconds histogram\n", -1)).hasSize(2);
    assertThat(whole.split("# TYPE latency_seconds_window summary\n", -1)).hasSize(2);
    // the histogram's series, then the gauges': two runs, not interleaved
    assertThat(whole.indexOf("latency_seconds_window{"))
        .isGreaterThan(whole.lastIndexOf("latency_seconds_bucket{"));
    // route r0 took 1 + i % 50 ms for i = 0, 7, 14, ... 294: 43 samples, 8 of them at most 10 ms
    assertThat(whole)
        .contains(
            "latency_seconds_bucket{route=\"r0\",le=\"0.01\"} 8\n",
            "latency_seconds_bucket{route=\"r0\",le=\"+Inf\"} 43\n",
            "latency_seconds_count{route=\"r0\"} 43\n",
            "latency_seconds_window{route=\"r0\",quantile=\"0.5\"} ",
            "latency_seconds_window_count{route=\"r0\"} 43\n");
  }

  @Test
  void openMetricsNamesCountersFamiliesWithoutTotalAndGivesTimersTheirUnit() {
    TickSnapshot tick =
        tick(latencies(), new HistogramLayout(ObserverType.HISTOGRAM, new double[] {0.01}, false));
    String page = pieces(tick, Integer.MAX_VALUE, ExpositionFormat.OPENMETRICS).get(0).toString();
    assertThat(page)
        .contains(
            "# TYPE jobs counter\n# HELP jobs ",
            "jobs_total 2\njobs_created 1700000000.000\n",
            "# TYPE latency_seconds histogram\n# UNIT latency_seconds seconds\n")
        .doesNotContain("# EOF"); // the tail ends the page
  }

  @Test
  void protobufCarriesNativeBucketsBesideTheClassicOnesAndSplitsBigFamilies() throws Exception {
    List<String> lines = latencies();
    for (int i = 0; i < 2500; i++) {
      lines.add("many:1|c|#i:" + i);
    }
    TickSnapshot tick =
        tick(lines, new HistogramLayout(ObserverType.HISTOGRAM, new double[] {0.01}, true));
    Buffer all = Buffer.buffer();
    pieces(tick, 4096, ExpositionFormat.PROTOBUF).forEach(all::appendBuffer);
    java.io.InputStream in = new java.io.ByteArrayInputStream(all.getBytes());
    List<Metrics.MetricFamily> families = new ArrayList<>();
    Metrics.MetricFamily f;
    while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      families.add(f);
    }
    // 2500 counters in messages of at most 1000 series
    assertThat(
            families.stream()
                .filter(x -> x.getName().equals("many_total"))
                .mapToInt(Metrics.MetricFamily::getMetricCount)
                .sum())
        .isEqualTo(2500);
    assertThat(families.stream().filter(x -> x.getName().equals("many_total")).count())
        .isGreaterThanOrEqualTo(3);
    Metrics.MetricFamily latency =
        families.stream().filter(x -> x.getName().equals("latency_seconds")).findFirst().get();
    assertThat(latency.getType()).isEqualTo(Metrics.MetricType.HISTOGRAM);
    Metrics.Histogram h =
        latency.getMetricList().stream()
            .filter(m -> m.getLabel(0).getValue().equals("r0"))
            .findFirst()
            .get()
            .getHistogram();
    assertThat(h.getSampleCount()).isEqualTo(43);
    assertThat(h.getBucket(0).getUpperBound()).isEqualTo(0.01);
    assertThat(h.getBucket(0).getCumulativeCount()).isEqualTo(8);
    assertThat(h.getSchema()).isBetween(-4, 8);
    long inBuckets = h.getZeroCount();
    long running = 0;
    for (long delta : h.getPositiveDeltaList()) {
      running += delta;
      inBuckets += running;
    }
    assertThat(inBuckets).isEqualTo(43);
    assertThat(h.getPositiveSpan(0).getLength()).isEqualTo(h.getPositiveDeltaCount());
  }

  @Test
  void piecesOfAnySizeMakeTheSamePageWithOneHeaderPerFamily() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add("jobs:" + i + "|c|#queue:q" + i);
      lines.add("latency:" + i + "|ms|#route:r" + (i % 7));
    }
    lines.add("depth:3|g");
    TickSnapshot tick = tick(lines);

    List<String> whole = pieces(tick, Integer.MAX_VALUE);
    List<String> small = pieces(tick, 100);

    assertThat(whole).hasSize(1);
    assertThat(small.size()).isGreaterThan(100);
    assertThat(String.join("", small)).isEqualTo(whole.get(0));
    String page = whole.get(0);
    assertThat(page.split("# TYPE jobs_total counter", -1)).hasSize(2);
    assertThat(page.split("# TYPE latency_seconds summary", -1)).hasSize(2);
    assertThat(page).contains("jobs_total{queue=\"q499\"} 499\n", "depth 3\n");
  }

  @Test
  void aKindUnderAnotherKindsNameIsLeftOutAndCountedWhenThePageIsDone() {
    TickSnapshot tick = tick(List.of("x:1|g", "x:2|s", "y:1|g"));
    SeriesExposition page = new SeriesExposition(tick, ExpositionFormat.TEXT);
    StringBuilder text = new StringBuilder();
    while (!page.done()) {
      text.append(page.next(1));
    }
    assertThat(text.toString()).contains("x 1\n", "y 1\n").doesNotContain("# TYPE x set");
    assertThat(page.conflicts()).isEqualTo(1);
  }

  @Test
  void spanExemplarsGoWithTheirBucketInOpenMetricsAndProtobufNotInText() throws Exception {
    long t0 = 1_700_000_000_000_000_000L;
    io.opentelemetry.proto.trace.v1.Span span =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setName("GET /cart")
            .setStartTimeUnixNano(t0)
            .setEndTimeUnixNano(t0 + 7_000_000) // 7 ms: in the bucket le="0.008"
            .setTraceId(
                com.google.protobuf.ByteString.copyFrom(
                    java.nio.ByteBuffer.allocate(16).putLong(0xabcL).putLong(0xdefL).array()))
            .setSpanId(
                com.google.protobuf.ByteString.copyFrom(
                    java.nio.ByteBuffer.allocate(8).putLong(0x42L).array()))
            .build();
    List<dev.tally.protocol.model.TraceSpan> spans = new ArrayList<>();
    dev.tally.protocol.otlp.TracesRequestMapper.map(
        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(span)))
            .build(),
        spans::add,
        new dev.tally.protocol.otlp.Rejections());
    dev.tally.protocol.otlp.SpanMetrics red =
        new dev.tally.protocol.otlp.SpanMetrics(new dev.tally.protocol.model.TraceKeeping(1, 0));
    spans.forEach(red::add);
    dev.tally.protocol.otlp.OtlpBatch batch = new dev.tally.protocol.otlp.OtlpBatch();
    red.drainTo(batch::add);
    TickSnapshot tick = tick(batch);
    String exemplar =
        " # {trace_id=\"0000000000000abc0000000000000def\",span_id=\"0000000000000042\"} 0.007"
            + " 1700000000.007\n";
    String om = openMetrics(tick);
    assertThat(om).contains("le=\"0.008\"} 1" + exemplar);
    assertThat(om.split(" # \\{", -1)).hasSize(2); // one exemplar: one bucket
    String text = pieces(tick, Integer.MAX_VALUE).get(0);
    assertThat(text).contains("le=\"0.008\"} 1\n").doesNotContain("trace_id");
    Buffer proto = pieces(tick, Integer.MAX_VALUE, ExpositionFormat.PROTOBUF).get(0);
    java.io.InputStream in = new java.io.ByteArrayInputStream(proto.getBytes());
    Metrics.MetricFamily f;
    Metrics.Bucket withExemplar = null;
    while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      for (Metrics.Metric m : f.getMetricList()) {
        for (Metrics.Bucket b : m.getHistogram().getBucketList()) {
          withExemplar = b.hasExemplar() ? b : withExemplar;
        }
      }
    }
    assertThat(withExemplar.getUpperBound()).isEqualTo(0.008);
    assertThat(withExemplar.getExemplar().getValue()).isEqualTo(0.007);
    assertThat(withExemplar.getExemplar().getLabel(0).getValue())
        .isEqualTo("0000000000000abc0000000000000def");
  }

  @Test
  void openMetricsGivesOtlpFamiliesTheUnitTheirNameCarries() {
    dev.tally.protocol.otlp.OtlpBatch batch = new dev.tally.protocol.otlp.OtlpBatch();
    batch.add(
        new dev.tally.protocol.otlp.HistogramPoint(
            dev.tally.protocol.model.SeriesKey.of(
                dev.tally.protocol.model.MetricKind.OTLP_HISTOGRAM,
                "http_server_request_duration_seconds",
                List.of()),
            "",
            0,
            T0 * 1_000_000,
            true,
            1,
            0.2,
            new double[] {0.5},
            new long[] {1, 0}));
    batch.add(
        new dev.tally.protocol.otlp.NumberPoint(
            dev.tally.protocol.model.SeriesKey.of(
                dev.tally.protocol.model.MetricKind.OTLP_COUNTER, "rx_bytes", List.of()),
            "",
            0,
            T0 * 1_000_000,
            5,
            true));
    String om = openMetrics(tick(batch));
    assertThat(om)
        .contains(
            "# TYPE http_server_request_duration_seconds histogram\n"
                + "# UNIT http_server_request_duration_seconds seconds\n",
            "# TYPE rx_bytes counter\n# UNIT rx_bytes bytes\n",
            "rx_bytes_total 5\n");
  }

  @Test
  void otlpExemplarsShowOnCountersAndNotOnGauges() {
    io.opentelemetry.proto.metrics.v1.Exemplar exemplar =
        io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
            .setAsDouble(3)
            .setTimeUnixNano(T0 * 1_000_000)
            .setTraceId(
                com.google.protobuf.ByteString.copyFrom(
                    java.nio.ByteBuffer.allocate(16).putLong(1).putLong(2).array()))
            .setSpanId(
                com.google.protobuf.ByteString.copyFrom(
                    java.nio.ByteBuffer.allocate(8).putLong(3).array()))
            .build();
    io.opentelemetry.proto.metrics.v1.NumberDataPoint point =
        io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
            .setTimeUnixNano(T0 * 1_000_000)
            .setAsDouble(3)
            .addExemplars(exemplar)
            .build();
    var request =
        io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                    .addScopeMetrics(
                        io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                            .addMetrics(
                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                    .setName("queue.depth")
                                    .setGauge(
                                        io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                            .addDataPoints(point)))
                            .addMetrics(
                                io.opentelemetry.proto.metrics.v1.Metric.newBuilder()
                                    .setName("jobs")
                                    .setSum(
                                        io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
                                            .setIsMonotonic(true)
                                            .setAggregationTemporality(
                                                io.opentelemetry.proto.metrics.v1
                                                    .AggregationTemporality
                                                    .AGGREGATION_TEMPORALITY_DELTA)
                                            .addDataPoints(point)))))
            .build();
    dev.tally.protocol.otlp.OtlpBatch batch = new dev.tally.protocol.otlp.OtlpBatch();
    dev.tally.protocol.otlp.MetricsRequestMapper.map(
        request, batch::add, new dev.tally.protocol.otlp.Rejections());
    String om = openMetrics(tick(batch));
    assertThat(om)
        .contains(
            "jobs_total 3 # {trace_id=\"00000000000000010000000000000002\","
                + "span_id=\"0000000000000003\"} 3 1700000000.000\n",
            "queue_depth 3\n");
  }
}
