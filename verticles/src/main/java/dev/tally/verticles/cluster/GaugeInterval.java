package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;

/**
 * A gauge since the last drain: the value, if one was set (with the adjustments after it), else the
 * {@code +n}/{@code -n} adjustments alone, which add at the owner: {@code +1} on two nodes makes
 * {@code +2} there.
 */
public final class GaugeInterval extends Interval {
  private boolean changed;
  private boolean set;
  private double value;
  private double adjustment;
  private long millis;

  /** An interval of a series made while another node owns it: nothing gathered yet. */
  public GaugeInterval() {}

  /**
   * An interval of a series that this node owned until now: the first drain sends the whole value,
   * if it changed this tick (the new owner has nothing of this node's).
   */
  public static GaugeInterval whole(double value, long millis, boolean changed) {
    GaugeInterval g = new GaugeInterval();
    g.set = true;
    g.value = value;
    g.millis = millis;
    g.changed = changed;
    return g;
  }

  /** True if adding {@code adjust} leaves the interval's adjustments finite. */
  public boolean fits(double adjust) {
    return Double.isFinite(adjustment + adjust);
  }

  /** A value set at {@code millis} (here, or on the node that sent it). */
  public void set(double v, long millis) {
    value = v;
    this.millis = millis;
    set = true;
    adjustment = 0;
    changed = true;
  }

  /** An adjustment; {@code millis} is the series' value time after it. */
  public void adjust(double by, long millis) {
    value += by;
    adjustment += by;
    this.millis = millis;
    changed = true;
  }

  @Override
  public SeriesDelta drain(SeriesKey key, String help) {
    if (!changed) {
      return null;
    }
    SeriesDelta d =
        set
            ? SeriesDelta.gauge(key, help, value, millis)
            : SeriesDelta.gaugeAdjustment(key, help, adjustment, millis);
    changed = false;
    set = false;
    adjustment = 0;
    return d;
  }
}
