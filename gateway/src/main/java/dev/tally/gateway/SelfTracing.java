package dev.tally.gateway;

import dev.tally.gateway.config.TallyOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;

/**
 * Traces of Tally's own HTTP and gRPC handling (vertx-opentelemetry), exported over OTLP/HTTP to
 * {@code tracing-endpoint} in batches, sampled by {@code tracing-sample-ratio} (parent-based, so a
 * traced client's decision is kept). Off unless an endpoint is configured.
 */
final class SelfTracing {
  /** Longest wait before a batch of spans is exported. */
  static final Duration EXPORT_DELAY = Duration.ofMillis(500);

  private SelfTracing() {}

  /** The SDK for the options' endpoint; the caller closes it when Vert.x closes. */
  static OpenTelemetrySdk sdk(TallyOptions options) {
    String endpoint = options.tracingEndpoint();
    String url =
        endpoint.endsWith("/v1/traces") ? endpoint : endpoint.replaceAll("/$", "") + "/v1/traces";
    SdkTracerProvider tracers =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"),
                                "tally",
                                AttributeKey.stringKey("service.version"),
                                TallyMain.version()))))
            .setSampler(
                Sampler.parentBased(Sampler.traceIdRatioBased(options.tracingSampleRatio())))
            .addSpanProcessor(
                BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(url).build())
                    .setScheduleDelay(EXPORT_DELAY)
                    .build())
            .build();
    return OpenTelemetrySdk.builder().setTracerProvider(tracers).build();
  }
}
