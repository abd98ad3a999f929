package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;

/** A StatsD counter: cumulative total of value/rate, and the increase of the last tick. */
final class CounterSeries extends Series {
  private double total;
  private double delta;

  CounterSeries(SeriesKey key) {
    super(key);
  }

  @Override
  void record(SampleBatch batch, int i) {
    double v = batch.value(i) / batch.rate(i);
    total += v;
    delta += v;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (snapshot == null || delta != 0 || snapshot.rate() != 0) {
      snapshot =
          new SeriesSnapshot(
              this, tickMillis, total, delta / tickSeconds, 0, 0, Double.NaN, Double.NaN, null);
      delta = 0;
    }
    return snapshot;
  }
}
