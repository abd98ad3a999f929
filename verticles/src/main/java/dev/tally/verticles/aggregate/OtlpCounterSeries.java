package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;

/**
 * An OTLP monotonic Sum, exposed as a cumulative counter that never decreases: delta points add
 * their value; cumulative points add their increase since the previous point, or their whole value
 * after a reset (a moved start time, or a value lower than the last).
 */
final class OtlpCounterSeries extends CounterSeries {
  private final CumulativeStream stream = new CumulativeStream();
  private double lastValue;

  OtlpCounterSeries(SeriesKey key, String help) {
    super(key, help);
  }

  @Override
  boolean record(OtlpPoint point) {
    NumberPoint p = (NumberPoint) point;
    if (p.delta()) {
      add(p.value());
      return true;
    }
    CumulativeStream.Step step = stream.classify(p);
    if (step == CumulativeStream.Step.STALE) {
      return false;
    }
    boolean reset = step == CumulativeStream.Step.RESET || p.value() < lastValue;
    add(reset ? p.value() : p.value() - lastValue);
    lastValue = p.value();
    stream.advance(p);
    return true;
  }
}
