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
  private long lastTimeNanos;
  private boolean changed = true;
  private long valueMillis; // when the value was set, here or on the node that sent it

  GaugeSeries(SeriesKey key, String help) {
    super(key, help);
  }

  @Override
  void record(SampleBatch batch, int i) {
    value = batch.delta(i) ? value + batch.value(i) : batch.value(i);
    valueMillis = lastSeenMillis; // the shard sets it before recording
    changed = true;
  }

  @Override
  SeriesDelta drain() {
    if (!changed) {
      return null;
    }
    changed = false;
    return SeriesDelta.gauge(key, help, value, valueMillis);
  }

  /** The value set last, by the senders' clocks, wins. */
  @Override
  void merge(SeriesDelta d) {
    if (d.timeMillis() >= valueMillis) {
      value = d.value();
      valueMillis = d.timeMillis();
      changed = true;
    }
  }

  @Override
  boolean record(OtlpPoint point) {
    NumberPoint p = (NumberPoint) point;
    if (p.delta()) {
      value += p.value();
    } else if (p.timeNanos() != 0 && p.timeNanos() < lastTimeNanos) {
      return false; // older than the value shown: a late retry
    } else {
      value = p.value();
      lastTimeNanos = p.timeNanos();
    }
    changed = true;
    return true;
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
