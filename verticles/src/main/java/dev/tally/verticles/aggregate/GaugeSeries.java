package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;

/**
 * A gauge: the last value, or the sum of adjustments: StatsD {@code +n}/{@code -n}, or the points
 * of an OTLP non-monotonic delta Sum.
 */
final class GaugeSeries extends Series {
  private double value;
  private boolean changed = true;

  GaugeSeries(SeriesKey key, String help) {
    super(key, help);
  }

  @Override
  void record(SampleBatch batch, int i) {
    value = batch.delta(i) ? value + batch.value(i) : batch.value(i);
    changed = true;
  }

  @Override
  void record(OtlpPoint point) {
    NumberPoint p = (NumberPoint) point;
    value = p.delta() ? value + p.value() : p.value();
    changed = true;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (changed) {
      snapshot = new SeriesSnapshot(this, tickMillis, value, 0, 0, 0, Double.NaN, Double.NaN, null);
      changed = false;
    }
    return snapshot;
  }
}
