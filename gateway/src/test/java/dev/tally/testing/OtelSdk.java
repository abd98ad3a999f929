package dev.tally.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry Java SDK's metrics, exporting over OTLP to a gateway: gRPC or http/protobuf,
 * cumulative or delta for every instrument. Exports only on {@link #flush()} (the periodic reader
 * waits an hour).
 */
public final class OtelSdk implements AutoCloseable {
  /**
   * The resource every test exports with: the SDK's default (with {@code telemetry.sdk.*}), job
   * {@code shop/checkout}, instance {@code i-1}.
   */
  public static final Resource RESOURCE =
      Resource.getDefault()
          .merge(
              Resource.create(
                  Attributes.of(
                      AttributeKey.stringKey("service.name"), "checkout",
                      AttributeKey.stringKey("service.namespace"), "shop",
                      AttributeKey.stringKey("service.instance.id"), "i-1",
                      AttributeKey.stringKey("deployment.environment"), "test")));

  /** The OTLP transports the SDK offers. */
  public enum Transport {
    GRPC,
    HTTP_PROTOBUF
  }

  private final SdkMeterProvider provider;

  /**
   * @param exponential names of histograms to aggregate as base-2 exponential histograms
   */
  public OtelSdk(
      dev.tally.gateway.Gateway g,
      Transport transport,
      AggregationTemporality temporality,
      String... exponential) {
    AggregationTemporalitySelector selector = type -> temporality;
    MetricExporter exporter =
        transport == Transport.GRPC
            ? OtlpGrpcMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + g.otlpGrpcPort())
                .setCompression("gzip")
                .setAggregationTemporalitySelector(selector)
                .build()
            : OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + g.otlpHttpPort() + "/v1/metrics")
                .setCompression("gzip")
                .setAggregationTemporalitySelector(selector)
                .build();
    var builder =
        SdkMeterProvider.builder()
            .setResource(RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build());
    for (String name : exponential) {
      builder.registerView(
          InstrumentSelector.builder().setName(name).build(),
          View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram()).build());
    }
    provider = builder.build();
  }

  /**
   * Exports, over gRPC with cumulative temporality, one histogram {@code <prefix>.duration} in
   * seconds with buckets 0.1, 0.5 and 1 and the values 0.05, 0.2, 0.7 and 3 under {@code route=/a}:
   * on {@code /metrics}, {@code <prefix>_duration_seconds}'s 3 buckets, {@code +Inf}, sum and
   * count.
   */
  public static void exportHistogram(dev.tally.gateway.Gateway g, String prefix) {
    try (OtelSdk sdk = new OtelSdk(g, Transport.GRPC, AggregationTemporality.CUMULATIVE)) {
      var h =
          sdk.provider()
              .get(prefix)
              .histogramBuilder(prefix + ".duration")
              .setUnit("s")
              .setExplicitBucketBoundariesAdvice(java.util.List.of(0.1, 0.5, 1.0))
              .build();
      for (double v : new double[] {0.05, 0.2, 0.7, 3}) {
        h.record(v, Attributes.of(AttributeKey.stringKey("route"), "/a"));
      }
      sdk.flush();
    }
  }

  public SdkMeterProvider provider() {
    return provider;
  }

  /**
   * Exports now. The SDK reports success even when the export failed (it only logs), so tests
   * assert on what the gateway shows.
   */
  public void flush() {
    CompletableResultCode result = provider.forceFlush().join(20, TimeUnit.SECONDS);
    if (!result.isDone()) {
      throw new AssertionError("export did not finish within 20 s");
    }
  }

  @Override
  public void close() {
    provider.shutdown().join(20, TimeUnit.SECONDS);
  }
}
