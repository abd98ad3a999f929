package dev.tally.protocol.otlp;

import dev.tally.protocol.model.LabelLimits;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps an OTLP metrics export request into {@link OtlpPoint}s: the root of the mapper tree, one
 * mapper per proto message ({@code ResourceMetricsMapper} → {@code ScopeMetricsMapper} → {@code
 * MetricMapper} → the data point mappers). Never throws for bad data: a bad point is added to the
 * {@link Rejections} and the others are mapped.
 */
public final class MetricsRequestMapper {
  private MetricsRequestMapper() {}

  /**
   * Maps every data point of {@code request}: good points go to {@code sink} (with one {@code
   * target_info} point per resource that has descriptive attributes), bad ones to {@code
   * rejections}.
   *
   * @return the number of data points accepted (those flagged "no recorded value" included, as they
   *     are valid and carry nothing to record)
   */
  public static long map(
      ExportMetricsServiceRequest request, Consumer<OtlpPoint> sink, Rejections rejections) {
    return map(request, Set.of(), LabelLimits.DEFAULT, sink, rejections);
  }

  /**
   * As {@link #map(ExportMetricsServiceRequest, Consumer, Rejections)}, and the resource attributes
   * named in {@code promoted} also become labels of every series of their resource (as Prometheus'
   * {@code promote_resource_attributes} does). A point whose series would be over {@code limits} is
   * rejected ({@code label_limits}); so is every point of a resource with more attributes than a
   * series may have labels, and a {@code target_info} over the limits is left out (counted as one).
   */
  public static long map(
      ExportMetricsServiceRequest request,
      Set<String> promoted,
      LabelLimits limits,
      Consumer<OtlpPoint> sink,
      Rejections rejections) {
    long accepted = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      accepted += ResourceMetricsMapper.map(rm, promoted, limits, sink, rejections);
    }
    return accepted;
  }
}
