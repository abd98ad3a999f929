package dev.tally.protocol.otlp;

import dev.tally.protocol.model.SeriesKey;

/**
 * Durations in milliseconds bound for one {@code TIMER} series, each recorded as a StatsD {@code
 * |ms} sample would be: the span durations of one request and one RED group ({@link SpanMetrics}).
 */
public final class TimerPoint extends OtlpPoint {
  private final double[] millis;

  /**
   * @param millis the durations; the point owns the array
   */
  public TimerPoint(SeriesKey key, String help, double[] millis) {
    super(key, help, 0, 0);
    this.millis = millis;
  }

  /** The durations in milliseconds; do not modify. */
  public double[] millis() {
    return millis;
  }

  @Override
  public boolean cumulativeStream() {
    return false;
  }

  @Override
  public long valueBytes() {
    return 16 + 8L * millis.length;
  }
}
