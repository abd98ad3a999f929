package dev.tally.loadtest.otlp;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Realistic OTLP export requests built with the OTLP protobuf classes: {@code resources} services ×
 * {@code metrics} metrics × {@code points} points, every point kind in turn (cumulative and delta
 * sums, gauges, explicit and exponential histograms, summaries), three attributes per point. The
 * shape comes from {@code -Dresources}, {@code -Dmetrics}, {@code -Dpoints} (defaults 2 × 20 × 5).
 */
public final class OtlpPayloads {
  public static final int RESOURCES = Integer.getInteger("resources", 2);
  public static final int METRICS = Integer.getInteger("metrics", 20);
  public static final int POINTS = Integer.getInteger("points", 5);

  private OtlpPayloads() {}

  /** Data points per request. */
  public static int pointsPerRequest() {
    return RESOURCES * METRICS * POINTS;
  }

  public static ExportMetricsServiceRequest request(long timeNanos) {
    return request(timeNanos, "i");
  }

  /**
   * A request at {@code timeNanos} from the instances {@code <instance>-<resource>}: distinct
   * instances make distinct series, so that concurrent senders do not interleave one stream.
   */
  public static ExportMetricsServiceRequest request(long timeNanos, String instance) {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    for (int r = 0; r < RESOURCES; r++) {
      ScopeMetrics.Builder scope =
          ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName("loadtest").setVersion("1.0"));
      for (int m = 0; m < METRICS; m++) {
        scope.addMetrics(metric(m, timeNanos));
      }
      req.addResourceMetrics(
          ResourceMetrics.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(kv("service.name", "load-" + r))
                      .addAttributes(kv("service.instance.id", instance + "-" + r))
                      .addAttributes(kv("deployment.environment", "load")))
              .addScopeMetrics(scope));
    }
    return req.build();
  }

  private static Metric metric(int m, long time) {
    long start = time - 60_000_000_000L;
    Metric.Builder b =
        Metric.newBuilder().setName("load.metric." + m).setUnit(m % 2 == 0 ? "ms" : "By");
    switch (m % 6) {
      case 0:
      case 1:
        Sum.Builder sum =
            Sum.newBuilder()
                .setIsMonotonic(true)
                .setAggregationTemporality(
                    m % 6 == 0
                        ? AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
                        : AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        for (int p = 0; p < POINTS; p++) {
          sum.addDataPoints(number(p, start, time).setAsInt(time / 1_000_000 % 100_000 + p));
        }
        return b.setSum(sum).build();
      case 2:
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int p = 0; p < POINTS; p++) {
          gauge.addDataPoints(number(p, start, time).setAsDouble(p * 1.5));
        }
        return b.setGauge(gauge).build();
      case 3:
        Histogram.Builder h =
            Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        for (int p = 0; p < POINTS; p++) {
          HistogramDataPoint.Builder point =
              HistogramDataPoint.newBuilder()
                  .addAllAttributes(attributes(p))
                  .setStartTimeUnixNano(start)
                  .setTimeUnixNano(time)
                  .setSum(120.5);
          for (int i = 0; i < 8; i++) {
            point.addExplicitBounds(Math.pow(4, i)).addBucketCounts(i + 1);
          }
          h.addDataPoints(point.addBucketCounts(1).setCount(37));
        }
        return b.setHistogram(h).build();
      case 4:
        ExponentialHistogram.Builder e =
            ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        for (int p = 0; p < POINTS; p++) {
          ExponentialHistogramDataPoint.Buckets.Builder buckets =
              ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(20);
          long count = 0;
          for (int i = 0; i < 16; i++) {
            buckets.addBucketCounts(i % 5 + 1);
            count += i % 5 + 1;
          }
          e.addDataPoints(
              ExponentialHistogramDataPoint.newBuilder()
                  .addAllAttributes(attributes(p))
                  .setStartTimeUnixNano(start)
                  .setTimeUnixNano(time)
                  .setScale(3)
                  .setCount(count)
                  .setSum(4096)
                  .setPositive(buckets));
        }
        return b.setExponentialHistogram(e).build();
      default:
        Summary.Builder s = Summary.newBuilder();
        for (int p = 0; p < POINTS; p++) {
          s.addDataPoints(
              SummaryDataPoint.newBuilder()
                  .addAllAttributes(attributes(p))
                  .setTimeUnixNano(time)
                  .setCount(10)
                  .setSum(25)
                  .addQuantileValues(
                      SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9)));
        }
        return b.setSummary(s).build();
    }
  }

  private static NumberDataPoint.Builder number(int p, long start, long time) {
    return NumberDataPoint.newBuilder()
        .addAllAttributes(attributes(p))
        .setStartTimeUnixNano(start)
        .setTimeUnixNano(time);
  }

  /** The three attributes of point {@code p}: a route, a method and a status. */
  public static java.util.List<KeyValue> attributes(int p) {
    return java.util.List.of(
        kv("http.route", "/api/v1/items/" + p), kv("http.method", "GET"), kv("status", "200"));
  }

  /** A string attribute. */
  public static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder()
        .setKey(k)
        .setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  public static byte[] json(ExportMetricsServiceRequest req) {
    try {
      return JsonFormat.printer().print(req).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
