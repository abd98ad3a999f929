package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.cluster.GaugeInterval;
import dev.tally.verticles.cluster.Interval;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;

/**
 * A gauge: the last value, or the sum of adjustments: StatsD {@code +n}/{@code -n}, or the points
 * of an OTLP non-monotonic delta Sum.
 */
final class GaugeSeries extends Series {
  private double value;
  private long lastTimeNanos;
  private boolean changed = true;
  private long valueMillis; // when the value was set, here or on the node that sent it

  GaugeSeries(SeriesName name) {
    super(name);
  }

  @Override
  boolean record(SampleBatch batch, int i) {
    GaugeInterval interval = (GaugeInterval) forward; // null while this node owns the series
    double v = batch.value(i);
    if (batch.delta(i)) {
      if (!Double.isFinite(value + v) || (interval != null && !interval.fits(v))) {
        return false;
      }
      value += v;
    } else {
      value = v;
    }
    valueMillis = lastSeenMillis; // the shard sets it before recording
    changed = true;
    if (interval != null) { // the value is kept here too, as it would be shown
      if (batch.delta(i)) {
        interval.adjust(v, valueMillis);
      } else {
        interval.set(v, valueMillis);
      }
    }
    return true;
  }

  /** The first drain sends the whole value if it changed this tick. */
  @Override
  Interval interval(boolean handOver) {
    return handOver ? GaugeInterval.whole(value, valueMillis, changed) : new GaugeInterval();
  }

  /** Nothing: the value gathered for the old owner is kept here as well. */
  @Override
  void takeBack(SeriesDelta left) {
    if (left.points() != null) {
      super.takeBack(left); // an OTLP gauge's held points
    }
  }

  /** A value set later, by the senders' clocks, replaces the one held; adjustments add. */
  @Override
  void merge(SeriesDelta d) {
    GaugeInterval interval = (GaugeInterval) forward;
    if (d.adjustment()) {
      value += d.value();
      if (interval != null) {
        interval.adjust(d.value(), valueMillis);
      }
    } else if (d.timeMillis() >= valueMillis) {
      value = d.value();
      valueMillis = d.timeMillis();
      if (interval != null) {
        interval.set(value, valueMillis);
      }
    } else {
      return;
    }
    changed = true;
  }

  @Override
  DropReason record(OtlpPoint point) {
    NumberPoint p = (NumberPoint) point;
    if (p.delta()) {
      if (!Double.isFinite(value + p.value())) {
        return DropReason.OVERFLOW;
      }
      value += p.value();
    } else if (p.timeNanos() != 0 && p.timeNanos() < lastTimeNanos) {
      return DropReason.STALE; // older than the value shown: a late retry
    } else {
      value = p.value();
      lastTimeNanos = p.timeNanos();
    }
    changed = true;
    return null;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (changed || snapshot == null) {
      snapshot = new SeriesSnapshot(name, tickMillis, value, 0, 0, 0, Double.NaN, Double.NaN, null);
      changed = false;
    }
    return snapshot;
  }
}
