package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.statsd.SampleBatch;
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
  private boolean setSinceDrain; // an absolute value was set since the last drain
  private double adjustSinceDrain; // the +n/-n since the last drain (or since the value set)

  GaugeSeries(SeriesKey key, String help) {
    super(key, help);
  }

  @Override
  boolean record(SampleBatch batch, int i) {
    if (batch.delta(i)) {
      if (!Double.isFinite(value + batch.value(i))
          || (forwarding && !Double.isFinite(adjustSinceDrain + batch.value(i)))) {
        return false;
      }
      value += batch.value(i);
      adjustSinceDrain += batch.value(i);
    } else {
      value = batch.value(i);
      setSinceDrain = true;
      adjustSinceDrain = 0;
    }
    valueMillis = lastSeenMillis; // the shard sets it before recording
    changed = true;
    return true;
  }

  /**
   * The value if one was set since the last drain (with the adjustments after it), else the
   * adjustments alone: {@code +1} on two nodes makes {@code +2} at the owner.
   */
  @Override
  SeriesDelta drainInterval() {
    if (!changed) {
      return null;
    }
    changed = false;
    SeriesDelta d =
        setSinceDrain
            ? SeriesDelta.gauge(key, help, value, valueMillis)
            : SeriesDelta.gaugeAdjustment(key, help, adjustSinceDrain, valueMillis);
    setSinceDrain = false;
    adjustSinceDrain = 0;
    return d;
  }

  /** The first drain sends the whole value: the new owner has nothing of this node's. */
  @Override
  long startForwarding() {
    setSinceDrain = true;
    adjustSinceDrain = 0;
    return 0;
  }

  /** A value set later, by the senders' clocks, replaces the one held; adjustments add. */
  @Override
  void merge(SeriesDelta d) {
    if (d.adjustment()) {
      value += d.value();
      if (forwarding) {
        adjustSinceDrain += d.value();
      }
    } else if (d.timeMillis() >= valueMillis) {
      value = d.value();
      valueMillis = d.timeMillis();
      if (forwarding) {
        setSinceDrain = true;
        adjustSinceDrain = 0;
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
      snapshot = new SeriesSnapshot(this, tickMillis, value, 0, 0, 0, Double.NaN, Double.NaN, null);
      changed = false;
    }
    return snapshot;
  }
}
