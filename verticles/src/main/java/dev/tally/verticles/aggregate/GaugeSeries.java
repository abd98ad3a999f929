package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;

/** A StatsD gauge: the last value, or the sum of {@code +n}/{@code -n} adjustments. */
final class GaugeSeries extends Series {
  private double value;
  private boolean changed = true;

  GaugeSeries(SeriesKey key) {
    super(key);
  }

  @Override
  void record(SampleBatch batch, int i) {
    value = batch.delta(i) ? value + batch.value(i) : batch.value(i);
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
