package dev.tally.protocol.otlp;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.TraceIds;
import java.util.ArrayList;
import java.util.List;

/**
 * The exemplars of an OTLP data point that link to a trace (a 16-byte trace id), at most {@link
 * #MAX_PER_POINT}: the others cannot open one.
 */
final class OtlpExemplars {
  /** Exemplars taken from one point at most; the SDKs keep one per bucket. */
  static final int MAX_PER_POINT = 16;

  private static final Exemplar[] NONE = new Exemplar[0];

  private OtlpExemplars() {}

  static Exemplar[] of(List<io.opentelemetry.proto.metrics.v1.Exemplar> exemplars) {
    if (exemplars.isEmpty()) {
      return NONE;
    }
    List<Exemplar> out = new ArrayList<>(Math.min(exemplars.size(), MAX_PER_POINT));
    for (io.opentelemetry.proto.metrics.v1.Exemplar e : exemplars) {
      if (out.size() == MAX_PER_POINT) {
        break;
      }
      if (e.getTraceId().size() != 16) {
        continue;
      }
      double value =
          e.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT
              ? e.getAsInt()
              : e.getAsDouble();
      if (!Double.isFinite(value)) {
        continue;
      }
      out.add(
          new Exemplar(
              TraceIds.longAt(e.getTraceId(), 0),
              TraceIds.longAt(e.getTraceId(), 8),
              e.getSpanId().size() == 8 ? TraceIds.longAt(e.getSpanId(), 0) : 0,
              value,
              e.getTimeUnixNano() / 1_000_000,
              false));
    }
    return out.toArray(NONE);
  }
}
