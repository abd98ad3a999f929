package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;

/** A set's members (their hashes) since the last drain. */
public final class SetInterval extends Interval {
  private final LongSet members;

  /**
   * @param members what the series gathered this tick before it started forwarding, taken over
   */
  public SetInterval(LongSet members) {
    this.members = members;
  }

  public void add(long member) {
    members.add(member);
  }

  @Override
  public SeriesDelta drain(SeriesKey key, String help) {
    if (members.size() == 0) {
      return null;
    }
    SeriesDelta d = SeriesDelta.set(key, members.toArray());
    members.clear();
    return d;
  }
}
