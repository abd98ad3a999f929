package dev.tally.loadtest.bench;

import static dev.tally.loadtest.otlp.OtlpPayloads.attributes;
import static dev.tally.loadtest.otlp.OtlpPayloads.kv;

import com.google.protobuf.util.JsonFormat;
import dev.tally.protocol.otlp.MetricsRequestMapper;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpEncoding;
import dev.tally.protocol.otlp.OtlpRequestDecoder;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.stats.PipelineStats;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
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
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * OTLP metrics on one thread, in data points per second, for a request of 1 000 points (100 metrics
 * × 10 points, 3 attributes each: 40 % monotonic sums, 30 % gauges, 20 % histograms with 10 bounds,
 * 10 % exponential histograms with 20 buckets), as the OTLP listeners handle it: decode the
 * protobuf or JSON body and map it into points ({@code decodeAndMap*}), and aggregate the mapped
 * points in one shard ({@code aggregate}, delta points so that every one is recorded).
 *
 * <pre>java -jar loadtest/target/benchmarks.jar OtlpMappingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OtlpMappingBenchmark {
  static final int METRICS = 100;
  static final int POINTS = 10;

  private byte[] protobuf;
  private byte[] json;
  private OtlpRequestDecoder decoder;
  private OtlpBatch deltaBatch;
  private ShardAggregator shard;
  private long now = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    protobuf = request(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).toByteArray();
    json =
        JsonFormat.printer()
            .print(request(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE))
            .getBytes(StandardCharsets.UTF_8);
    decoder = new OtlpRequestDecoder(64 << 20);
    deltaBatch = new OtlpBatch();
    MetricsRequestMapper.map(
        request(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA),
        deltaBatch::add,
        new Rejections());
    deltaBatch.seal();
    shard =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(1_000_000), new PipelineStats());
  }

  @Benchmark
  @OperationsPerInvocation(METRICS * POINTS)
  public long decodeAndMapProtobuf(Blackhole bh) {
    return decodeAndMap(protobuf, OtlpEncoding.PROTOBUF, bh);
  }

  @Benchmark
  @OperationsPerInvocation(METRICS * POINTS)
  public long decodeAndMapJson(Blackhole bh) {
    return decodeAndMap(json, OtlpEncoding.JSON, bh);
  }

  @Benchmark
  @OperationsPerInvocation(METRICS * POINTS)
  public void aggregate() {
    shard.accept(deltaBatch, now++);
  }

  private long decodeAndMap(byte[] body, OtlpEncoding encoding, Blackhole bh) {
    OtlpRequestDecoder.Decoded<ExportMetricsServiceRequest> d =
        decoder.decode(body, false, encoding, ExportMetricsServiceRequest.newBuilder());
    return MetricsRequestMapper.map(d.message(), bh::consume, new Rejections());
  }

  static ExportMetricsServiceRequest request(AggregationTemporality temporality) {
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
    for (int m = 0; m < METRICS; m++) {
      Metric.Builder metric = Metric.newBuilder().setName("bench.metric." + m).setUnit("ms");
      int kind = m % 10;
      if (kind < 4) {
        Sum.Builder sum =
            Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality);
        for (int p = 0; p < POINTS; p++) {
          sum.addDataPoints(number(p).setAsInt(1000 + p));
        }
        metric.setSum(sum);
      } else if (kind < 7) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int p = 0; p < POINTS; p++) {
          gauge.addDataPoints(number(p).setAsDouble(p * 1.5));
        }
        metric.setGauge(gauge);
      } else if (kind < 9) {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality);
        for (int p = 0; p < POINTS; p++) {
          HistogramDataPoint.Builder point =
              HistogramDataPoint.newBuilder().addAllAttributes(attributes(p)).setSum(123.0);
          long count = 0;
          for (int b = 0; b < 10; b++) {
            point.addExplicitBounds(Math.pow(2, b)).addBucketCounts(b + 1);
            count += b + 1;
          }
          h.addDataPoints(point.addBucketCounts(1).setCount(count + 1));
        }
        metric.setHistogram(h);
      } else {
        ExponentialHistogram.Builder h =
            ExponentialHistogram.newBuilder().setAggregationTemporality(temporality);
        for (int p = 0; p < POINTS; p++) {
          ExponentialHistogramDataPoint.Buckets.Builder buckets =
              ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(10);
          for (int b = 0; b < 20; b++) {
            buckets.addBucketCounts(b + 1);
          }
          h.addDataPoints(
              ExponentialHistogramDataPoint.newBuilder()
                  .addAllAttributes(attributes(p))
                  .setScale(3)
                  .setCount(210)
                  .setSum(5000)
                  .setPositive(buckets));
        }
        metric.setExponentialHistogram(h);
      }
      scope.addMetrics(metric);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(kv("service.name", "bench"))
                        .addAttributes(kv("service.instance.id", "i-1")))
                .addScopeMetrics(scope))
        .build();
  }

  private static NumberDataPoint.Builder number(int p) {
    return NumberDataPoint.newBuilder().addAllAttributes(attributes(p));
  }
}
