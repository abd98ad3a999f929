package dev.tally.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** OTLP export requests built with the proto classes, for tests. */
public final class OtlpRequests {
  private OtlpRequests() {}

  /** A request with the given metrics under one resource ({@code service.name=svc}). */
  public static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "svc")))
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  /** A gauge {@code name} with one point of {@code value}. */
  public static Metric gauge(String name, double value) {
    return Metric.newBuilder()
        .setName(name)
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(value)))
        .build();
  }

  /** A cumulative histogram whose bucket counts do not fit its bounds (2 counts, 2 bounds). */
  public static Metric badHistogram(String name) {
    return Metric.newBuilder()
        .setName(name)
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(
                    io.opentelemetry.proto.metrics.v1.AggregationTemporality
                        .AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .setCount(3)
                        .addAllExplicitBounds(List.of(1.0, 2.0))
                        .addAllBucketCounts(List.of(1L, 2L))))
        .build();
  }

  public static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** A request of {@code points} delta increments of 1 of the monotonic sum {@code name}. */
  public static byte[] deltaCounter(String name, int points) {
    io.opentelemetry.proto.metrics.v1.Sum.Builder sum =
        io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
            .setIsMonotonic(true)
            .setAggregationTemporality(
                io.opentelemetry.proto.metrics.v1.AggregationTemporality
                    .AGGREGATION_TEMPORALITY_DELTA);
    for (int i = 0; i < points; i++) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setAsInt(1).setTimeUnixNano(1));
    }
    return request(Metric.newBuilder().setName(name).setSum(sum).build()).toByteArray();
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
