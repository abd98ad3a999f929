package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import java.util.List;

/**
 * Maps explicit-bucket {@code HistogramDataPoint}s. A point is rejected if its bucket counts do not
 * fit its bounds (one more count than bounds, or neither), if its bounds are not strictly
 * increasing, or if a count is negative or the bucket counts do not add up to the count.
 */
final class HistogramDataPointMapper {
  private HistogramDataPointMapper() {}

  static long map(List<HistogramDataPoint> points, MetricContext ctx) {
    long accepted = 0;
    for (HistogramDataPoint p : points) {
      if ((p.getFlags() & NumberDataPointMapper.NO_RECORDED_VALUE) != 0) {
        accepted++;
        continue;
      }
      int nBounds = p.getExplicitBoundsCount();
      int nCounts = p.getBucketCountsCount();
      if (nCounts != 0 ? nCounts != nBounds + 1 : nBounds != 0) {
        ctx.reject(
            OtlpRejectReason.BAD_BUCKETS,
            nCounts + " bucket counts for " + nBounds + " bounds (expected " + (nBounds + 1) + ")");
        continue;
      }
      double[] bounds = new double[nBounds];
      String badBounds = null;
      for (int i = 0; i < nBounds; i++) {
        bounds[i] = p.getExplicitBounds(i);
        if (!Double.isFinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
          badBounds = "explicit bounds not finite and strictly increasing at index " + i;
          break;
        }
      }
      if (badBounds != null) {
        ctx.reject(OtlpRejectReason.BAD_BUCKETS, badBounds);
        continue;
      }
      long count = p.getCount();
      long[] counts = nCounts == 0 ? new long[] {count} : new long[nCounts];
      long total = 0;
      boolean negative = count < 0;
      for (int i = 0; i < nCounts; i++) {
        counts[i] = p.getBucketCounts(i);
        negative |= counts[i] < 0;
        total += counts[i];
      }
      if (negative || (nCounts > 0 && total != count)) {
        ctx.reject(
            OtlpRejectReason.BAD_COUNT,
            negative
                ? "negative count (above 2^63)"
                : "bucket counts add up to " + total + ", not to the count " + count);
        continue;
      }
      if (p.hasSum() && !Double.isFinite(p.getSum())) {
        ctx.reject(OtlpRejectReason.BAD_VALUE, "histogram sum " + p.getSum());
        continue;
      }
      SeriesKey key = ctx.key(p.getAttributesList());
      if (key == null) {
        continue; // over the label limits: rejected
      }
      ctx.accept(
          new HistogramPoint(
                  key,
                  ctx.help,
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  ctx.delta,
                  count,
                  p.hasSum() ? p.getSum() : 0,
                  bounds,
                  counts)
              .withExemplars(OtlpExemplars.of(p.getExemplarsList())));
      accepted++;
    }
    return accepted;
  }
}
