package dev.tally.testing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * An SDK exporter that keeps the result of its delegate's last export: the SDK's {@code
 * forceFlush()} reports success even when the export failed, so tests ask this instead.
 */
public final class RecordingExporter implements MetricExporter {
  private final MetricExporter delegate;
  private volatile CompletableResultCode last;

  public RecordingExporter(MetricExporter delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    CompletableResultCode result = delegate.export(metrics);
    last = result;
    return result;
  }

  /**
   * True if the last export (waited for up to 20 s) succeeded. Fails the test if there was none: a
   * refusal must be the gateway's, not an export that never happened.
   */
  public boolean lastSucceeded() {
    CompletableResultCode r = last;
    if (r == null) {
      throw new AssertionError("no export happened");
    }
    return r.join(20, TimeUnit.SECONDS).isSuccess();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType type) {
    return delegate.getAggregationTemporality(type);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }
}
