package dev.tally.verticles.aggregate;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.cluster.Interval;
import dev.tally.verticles.cluster.LongSet;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.cluster.SetInterval;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;

/**
 * A StatsD set: the number of distinct members in the last tick. Members are kept as 64-bit FNV-1a
 * hashes, so two members collide with a chance of about n²/2⁶⁵.
 */
final class SetSeries extends Series {
  private LongSet members = new LongSet();

  SetSeries(SeriesName name) {
    super(name);
  }

  @Override
  boolean record(SampleBatch batch, int i) {
    byte[] b = batch.bytes();
    long h = 0xcbf29ce484222325L;
    for (int at = batch.memberFrom(i), end = at + batch.memberLength(i); at < end; at++) {
      h ^= b[at] & 0xFF;
      h *= 0x100000001b3L;
    }
    if (forward != null) {
      ((SetInterval) forward).add(h);
    } else {
      members.add(h);
    }
    return true;
  }

  /** The members of this tick go to the owner with the first drain. */
  @Override
  Interval interval(boolean handOver) {
    Interval interval = new SetInterval(members);
    members = new LongSet();
    return interval;
  }

  @Override
  void merge(SeriesDelta d) {
    for (long m : d.members()) {
      if (forward != null) { // the nodes disagreed on the owner (members changing): pass it on
        ((SetInterval) forward).add(m);
      } else {
        members.add(m);
      }
    }
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    int distinct = members.size();
    members.clear();
    if (snapshot == null || snapshot.value() != distinct) {
      snapshot =
          new SeriesSnapshot(name, tickMillis, distinct, 0, 0, 0, Double.NaN, Double.NaN, null);
    }
    return snapshot;
  }
}
