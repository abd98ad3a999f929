package dev.tally.protocol.otlp;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;

/**
 * A Sum or Gauge point. For a delta point the value is an increment; otherwise it is the current
 * value (cumulative Sum) or the last value (Gauge).
 */
public final class NumberPoint extends OtlpPoint {
  private final double value;
  private final boolean delta;

  public NumberPoint(
      SeriesKey key, String help, long startNanos, long timeNanos, double value, boolean delta) {
    super(key, help, startNanos, timeNanos);
    this.value = value;
    this.delta = delta;
  }

  public double value() {
    return value;
  }

  @Override
  public boolean cumulativeStream() {
    return !delta && key().kind() == MetricKind.OTLP_COUNTER;
  }

  /** True if {@link #value()} is an increment over the point's interval. */
  public boolean delta() {
    return delta;
  }
}
