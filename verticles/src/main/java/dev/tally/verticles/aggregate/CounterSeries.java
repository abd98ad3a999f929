package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.cluster.CounterInterval;
import dev.tally.verticles.cluster.Interval;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;

/**
 * A counter: cumulative total, and the increase of the last tick. StatsD samples add value/rate;
 * {@link OtlpCounterSeries} adds what its points say.
 */
class CounterSeries extends Series {
  private double total;
  private double delta;

  CounterSeries(SeriesName name) {
    super(name);
  }

  @Override
  final boolean record(SampleBatch batch, int i) {
    double increase = batch.value(i) / batch.rate(i);
    if (!fits(increase)) {
      return false;
    }
    add(increase);
    return true;
  }

  /** Takes a delta {@link NumberPoint} (span RED calls); {@link OtlpCounterSeries} overrides. */
  @Override
  DropReason record(OtlpPoint point) {
    double increase = ((NumberPoint) point).value();
    if (!fits(increase)) {
      return DropReason.OVERFLOW;
    }
    add(increase);
    return null;
  }

  /**
   * True if adding {@code increase} leaves the total finite (increases are never negative, so the
   * tick's increase, never above the total, stays finite with it), or, while forwarding, the
   * interval for the owner.
   */
  final boolean fits(double increase) {
    return forward == null
        ? Double.isFinite(total + increase)
        : ((CounterInterval) forward).fits(increase);
  }

  /** The tick's increase goes to the owner; the owner keeps the total, so this one starts at 0. */
  @Override
  Interval interval(boolean handOver) {
    CounterInterval interval = new CounterInterval(delta);
    total = 0;
    delta = 0;
    return interval;
  }

  @Override
  void merge(SeriesDelta d) {
    if (fits(d.value())) { // another node's interval: finite alone, maybe not added to this total
      add(d.value());
    }
  }

  final void add(double increase) {
    if (forward != null) {
      ((CounterInterval) forward).add(increase);
      return;
    }
    total += increase;
    delta += increase;
  }

  @Override
  final SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (snapshot == null || delta != 0 || snapshot.rate() != 0) {
      snapshot =
          new SeriesSnapshot(
              name, tickMillis, total, delta / tickSeconds, 0, 0, Double.NaN, Double.NaN, null);
      delta = 0;
    }
    return snapshot;
  }
}
