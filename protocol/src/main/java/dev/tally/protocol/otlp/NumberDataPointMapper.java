package dev.tally.protocol.otlp;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;

/** Maps the {@code NumberDataPoint}s of a Sum or Gauge; int and double values alike. */
final class NumberDataPointMapper {
  static final int NO_RECORDED_VALUE = DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE;

  private NumberDataPointMapper() {}

  static long map(List<NumberDataPoint> points, MetricContext ctx) {
    long accepted = 0;
    for (NumberDataPoint p : points) {
      if ((p.getFlags() & NO_RECORDED_VALUE) != 0) {
        accepted++; // valid, with nothing to record
        continue;
      }
      double value;
      switch (p.getValueCase()) {
        case AS_INT:
          value = p.getAsInt();
          break;
        case AS_DOUBLE:
          value = p.getAsDouble();
          break;
        default:
          ctx.reject(OtlpRejectReason.NO_VALUE, "data point without a value");
          continue;
      }
      if (ctx.kind == MetricKind.OTLP_COUNTER && !(value >= 0 && Double.isFinite(value))) {
        ctx.reject(OtlpRejectReason.BAD_VALUE, "monotonic sum with value " + value);
        continue;
      }
      if (ctx.delta && !Double.isFinite(value)) {
        ctx.reject(OtlpRejectReason.BAD_VALUE, "delta sum with value " + value);
        continue;
      }
      SeriesKey key = ctx.key(p.getAttributesList());
      if (key == null) {
        continue; // over the label limits: rejected
      }
      ctx.accept(
          new NumberPoint(
                  key, ctx.help, p.getStartTimeUnixNano(), p.getTimeUnixNano(), value, ctx.delta)
              .withExemplars(OtlpExemplars.of(p.getExemplarsList())));
      accepted++;
    }
    return accepted;
  }
}
