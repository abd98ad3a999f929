package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint.ValueAtQuantile;
import java.util.List;

/** Maps {@code SummaryDataPoint}s; a quantile outside [0, 1] or a negative count rejects one. */
final class SummaryDataPointMapper {
  private SummaryDataPointMapper() {}

  static long map(List<SummaryDataPoint> points, MetricContext ctx) {
    long accepted = 0;
    for (SummaryDataPoint p : points) {
      if ((p.getFlags() & NumberDataPointMapper.NO_RECORDED_VALUE) != 0) {
        accepted++;
        continue;
      }
      if (p.getCount() < 0) {
        ctx.reject(OtlpRejectReason.BAD_COUNT, "negative count (above 2^63)");
        continue;
      }
      int n = p.getQuantileValuesCount();
      double[] quantiles = new double[n];
      double[] values = new double[n];
      String bad = null;
      for (int i = 0; i < n; i++) {
        ValueAtQuantile q = p.getQuantileValues(i);
        quantiles[i] = q.getQuantile();
        values[i] = q.getValue();
        if (!(quantiles[i] >= 0 && quantiles[i] <= 1)) {
          bad = "quantile " + quantiles[i] + " outside [0, 1]";
        }
      }
      if (bad != null) {
        ctx.reject(OtlpRejectReason.BAD_QUANTILE, bad);
        continue;
      }
      SeriesKey key = ctx.key(p.getAttributesList());
      if (key == null) {
        continue; // over the label limits: rejected
      }
      ctx.accept(
          new SummaryPoint(
              key,
              ctx.help,
              p.getStartTimeUnixNano(),
              p.getTimeUnixNano(),
              p.getCount(),
              p.getSum(),
              quantiles,
              values));
      accepted++;
    }
    return accepted;
  }
}
