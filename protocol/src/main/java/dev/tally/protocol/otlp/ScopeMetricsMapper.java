package dev.tally.protocol.otlp;

import dev.tally.protocol.model.LabelLimits;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a {@code ScopeMetrics}: the scope's name and version become the {@code otel_scope_name} and
 * {@code otel_scope_version} labels of its series (left out when empty).
 */
final class ScopeMetricsMapper {
  private ScopeMetricsMapper() {}

  static long map(
      ScopeMetrics sm,
      List<String> resourceLabels,
      LabelLimits limits,
      Consumer<OtlpPoint> sink,
      Rejections rejections) {
    InstrumentationScope scope = sm.getScope();
    List<String> labels = new ArrayList<>(resourceLabels.size() + 4);
    labels.addAll(resourceLabels);
    if (!scope.getName().isEmpty()) {
      labels.add("otel_scope_name");
      labels.add(scope.getName());
    }
    if (!scope.getVersion().isEmpty()) {
      labels.add("otel_scope_version");
      labels.add(scope.getVersion());
    }
    long accepted = 0;
    for (Metric metric : sm.getMetricsList()) {
      accepted += MetricMapper.map(metric, labels, limits, sink, rejections);
    }
    return accepted;
  }
}
