package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;

/** A counter's increase since the last drain. */
public final class CounterInterval extends Interval {
  private double increase;

  /**
   * @param increase what the series gathered this tick before it started forwarding: the owner gets
   *     it with the first drain
   */
  public CounterInterval(double increase) {
    this.increase = increase;
  }

  /** True if adding {@code more} leaves the interval finite. */
  public boolean fits(double more) {
    return Double.isFinite(increase + more);
  }

  public void add(double more) {
    increase += more;
  }

  @Override
  public SeriesDelta drain(SeriesKey key, String help) {
    if (increase == 0) {
      return null;
    }
    SeriesDelta d = SeriesDelta.counter(key, help, increase);
    increase = 0;
    return d;
  }
}
