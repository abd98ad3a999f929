package dev.tally.testing;

import dev.tally.gateway.Gateway;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry Java SDK's traces and logs, exporting over OTLP (gRPC or http/protobuf, gzip)
 * to a gateway with its batch processors. {@link #flush()} exports what was recorded and fails the
 * test if any export failed (the exporters' own results, which the batch processors only log).
 */
public final class OtelTelemetry implements AutoCloseable {
  private final SdkTracerProvider tracers;
  private final SdkLoggerProvider loggers;
  private final List<CompletableResultCode> exports = new CopyOnWriteArrayList<>();

  public OtelTelemetry(Gateway g, OtelSdk.Transport transport) {
    boolean grpc = transport == OtelSdk.Transport.GRPC;
    String grpcEndpoint = "http://127.0.0.1:" + g.otlpGrpcPort();
    String httpEndpoint = "http://127.0.0.1:" + g.otlpHttpPort();
    SpanExporter spans =
        grpc
            ? OtlpGrpcSpanExporter.builder()
                .setEndpoint(grpcEndpoint)
                .setCompression("gzip")
                .build()
            : OtlpHttpSpanExporter.builder()
                .setEndpoint(httpEndpoint + "/v1/traces")
                .setCompression("gzip")
                .build();
    LogRecordExporter logs =
        grpc
            ? OtlpGrpcLogRecordExporter.builder()
                .setEndpoint(grpcEndpoint)
                .setCompression("gzip")
                .build()
            : OtlpHttpLogRecordExporter.builder()
                .setEndpoint(httpEndpoint + "/v1/logs")
                .setCompression("gzip")
                .build();
    tracers =
        SdkTracerProvider.builder()
            .setResource(OtelSdk.RESOURCE)
            .addSpanProcessor(
                BatchSpanProcessor.builder(new CheckedSpans(spans))
                    .setScheduleDelay(Duration.ofHours(1))
                    .build())
            .build();
    loggers =
        SdkLoggerProvider.builder()
            .setResource(OtelSdk.RESOURCE)
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(new CheckedLogs(logs))
                    .setScheduleDelay(Duration.ofHours(1))
                    .build())
            .build();
  }

  public Tracer tracer(String scope) {
    return tracers.get(scope);
  }

  public Logger logger(String scope) {
    return loggers.get(scope);
  }

  /** The tracer provider, for log records emitted inside a span. */
  public SdkTracerProvider tracers() {
    return tracers;
  }

  /** Exports every ended span and emitted record now; fails if an export failed. */
  public void flush() {
    tracers.forceFlush().join(20, TimeUnit.SECONDS);
    loggers.forceFlush().join(20, TimeUnit.SECONDS);
    for (CompletableResultCode r : exports) {
      r.join(20, TimeUnit.SECONDS);
      if (!r.isSuccess()) {
        throw new AssertionError("an OTLP export failed: " + r.getFailureThrowable());
      }
    }
  }

  @Override
  public void close() {
    tracers.shutdown().join(20, TimeUnit.SECONDS);
    loggers.shutdown().join(20, TimeUnit.SECONDS);
  }

  private final class CheckedSpans implements SpanExporter {
    private final SpanExporter exporter;

    CheckedSpans(SpanExporter exporter) {
      this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode r = exporter.export(spans);
      exports.add(r);
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }
  }

  private final class CheckedLogs implements LogRecordExporter {
    private final LogRecordExporter exporter;

    CheckedLogs(LogRecordExporter exporter) {
      this.exporter = exporter;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      CompletableResultCode r = exporter.export(logs);
      exports.add(r);
      return r;
    }

    @Override
    public CompletableResultCode flush() {
      return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return exporter.shutdown();
    }
  }
}
