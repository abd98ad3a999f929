package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.stats.DropReason;

/**
 * An OTLP monotonic Sum, exposed as a cumulative counter that never decreases: delta points add
 * their value; cumulative points add their increase since the previous point, or their whole value
 * after a reset (a moved start time, or a value lower than the last).
 */
final class OtlpCounterSeries extends CounterSeries {
  private final CumulativeStream stream = new CumulativeStream();
  private double lastValue;

  OtlpCounterSeries(SeriesName name) {
    super(name);
  }

  @Override
  DropReason record(OtlpPoint point) {
    NumberPoint p = (NumberPoint) point;
    if (p.delta()) {
      if (!fits(p.value())) {
        return DropReason.OVERFLOW;
      }
      add(p.value());
      return null;
    }
    CumulativeStream.Step step = stream.classify(p);
    if (step == CumulativeStream.Step.STALE) {
      return DropReason.STALE;
    }
    boolean reset = step == CumulativeStream.Step.RESET || p.value() < lastValue;
    double increase = reset ? p.value() : p.value() - lastValue;
    if (!fits(increase)) {
      return DropReason.OVERFLOW;
    }
    add(increase);
    lastValue = p.value();
    stream.advance(p);
    return null;
  }
}
