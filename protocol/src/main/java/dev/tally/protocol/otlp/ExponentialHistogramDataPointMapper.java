package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import java.util.List;

/**
 * Maps {@code ExponentialHistogramDataPoint}s. A point is rejected if its scale is outside [-10,
 * 20] (the range of the data model), or if a count is negative or the zero, positive and negative
 * counts do not add up to the count.
 */
final class ExponentialHistogramDataPointMapper {
  static final int MIN_SCALE = -10;
  static final int MAX_SCALE = 20;

  private ExponentialHistogramDataPointMapper() {}

  static long map(List<ExponentialHistogramDataPoint> points, MetricContext ctx) {
    long accepted = 0;
    for (ExponentialHistogramDataPoint p : points) {
      if ((p.getFlags() & NumberDataPointMapper.NO_RECORDED_VALUE) != 0) {
        accepted++;
        continue;
      }
      if (p.getScale() < MIN_SCALE || p.getScale() > MAX_SCALE) {
        ctx.reject(OtlpRejectReason.BAD_SCALE, "scale " + p.getScale() + " outside [-10, 20]");
        continue;
      }
      long[] positive = counts(p.getPositive());
      long[] negative = counts(p.getNegative());
      long total = p.getZeroCount();
      boolean bad = p.getCount() < 0 || total < 0;
      for (long c : positive) {
        bad |= c < 0;
        total += c;
      }
      for (long c : negative) {
        bad |= c < 0;
        total += c;
      }
      if (bad || total != p.getCount()) {
        ctx.reject(
            OtlpRejectReason.BAD_COUNT,
            bad
                ? "negative count (above 2^63)"
                : "bucket counts add up to " + total + ", not to the count " + p.getCount());
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
          new ExponentialHistogramPoint(
                  key,
                  ctx.help,
                  p.getStartTimeUnixNano(),
                  p.getTimeUnixNano(),
                  ctx.delta,
                  p.getCount(),
                  p.hasSum() ? p.getSum() : 0,
                  p.getScale(),
                  p.getZeroCount(),
                  p.getPositive().getOffset(),
                  positive,
                  p.getNegative().getOffset(),
                  negative)
              .withExemplars(OtlpExemplars.of(p.getExemplarsList())));
      accepted++;
    }
    return accepted;
  }

  private static long[] counts(Buckets buckets) {
    long[] counts = new long[buckets.getBucketCountsCount()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = buckets.getBucketCounts(i);
    }
    return counts;
  }
}
