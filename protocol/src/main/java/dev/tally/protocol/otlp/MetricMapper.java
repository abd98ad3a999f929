package dev.tally.protocol.otlp;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a {@code Metric}: its Prometheus name (see {@link MetricNames}) and kind, then its points.
 * Monotonic Sum → counter; non-monotonic Sum and Gauge → gauge; Histogram, ExponentialHistogram and
 * Summary → their kinds. A metric without a name, or without a temporality where one is needed, has
 * every point rejected.
 */
final class MetricMapper {
  private MetricMapper() {}

  static long map(
      Metric metric,
      List<String> labels,
      LabelLimits limits,
      Consumer<OtlpPoint> sink,
      Rejections rejections) {
    MetricKind kind;
    AggregationTemporality temporality = AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    switch (metric.getDataCase()) {
      case GAUGE:
        kind = MetricKind.OTLP_GAUGE;
        break;
      case SUM:
        Sum sum = metric.getSum();
        kind = sum.getIsMonotonic() ? MetricKind.OTLP_COUNTER : MetricKind.OTLP_GAUGE;
        temporality = sum.getAggregationTemporality();
        break;
      case HISTOGRAM:
        kind = MetricKind.OTLP_HISTOGRAM;
        temporality = metric.getHistogram().getAggregationTemporality();
        break;
      case EXPONENTIAL_HISTOGRAM:
        kind = MetricKind.OTLP_EXPONENTIAL_HISTOGRAM;
        temporality = metric.getExponentialHistogram().getAggregationTemporality();
        break;
      case SUMMARY:
        kind = MetricKind.OTLP_SUMMARY;
        break;
      default:
        return 0; // no data: nothing to record and nothing lost
    }
    String name =
        MetricNames.prometheusName(
            metric.getName(), metric.getUnit(), kind == MetricKind.OTLP_COUNTER);
    MetricContext ctx =
        new MetricContext(
            kind,
            metric.getName(),
            name,
            metric.getDescription(),
            temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            labels,
            limits,
            sink,
            rejections);
    int points = pointCount(metric);
    if (name.isEmpty()) {
      ctx.rejectAll(OtlpRejectReason.MISSING_NAME, points, "metric without a name");
      return 0;
    }
    if (temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
        && temporality != AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA) {
      ctx.rejectAll(
          OtlpRejectReason.NO_TEMPORALITY, points, "aggregation temporality is unspecified");
      return 0;
    }
    switch (metric.getDataCase()) {
      case GAUGE:
        return NumberDataPointMapper.map(metric.getGauge().getDataPointsList(), ctx);
      case SUM:
        return NumberDataPointMapper.map(metric.getSum().getDataPointsList(), ctx);
      case HISTOGRAM:
        return HistogramDataPointMapper.map(metric.getHistogram().getDataPointsList(), ctx);
      case EXPONENTIAL_HISTOGRAM:
        return ExponentialHistogramDataPointMapper.map(
            metric.getExponentialHistogram().getDataPointsList(), ctx);
      default:
        return SummaryDataPointMapper.map(metric.getSummary().getDataPointsList(), ctx);
    }
  }

  static int pointCount(Metric metric) {
    switch (metric.getDataCase()) {
      case GAUGE:
        return metric.getGauge().getDataPointsCount();
      case SUM:
        return metric.getSum().getDataPointsCount();
      case HISTOGRAM:
        return metric.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM:
        return metric.getExponentialHistogram().getDataPointsCount();
      case SUMMARY:
        return metric.getSummary().getDataPointsCount();
      default:
        return 0;
    }
  }
}
