package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.statsd.SampleBatch;

/**
 * A StatsD set: the number of distinct members in the last tick. Members are kept as 64-bit FNV-1a
 * hashes, so two members collide with a chance of about n²/2⁶⁵.
 */
final class SetSeries extends Series {
  private final LongSet members = new LongSet();

  SetSeries(SeriesKey key) {
    super(key);
  }

  @Override
  boolean record(SampleBatch batch, int i) {
    byte[] b = batch.bytes();
    long h = 0xcbf29ce484222325L;
    for (int at = batch.memberFrom(i), end = at + batch.memberLength(i); at < end; at++) {
      h ^= b[at] & 0xFF;
      h *= 0x100000001b3L;
    }
    members.add(h);
    return true;
  }

  @Override
  SeriesDelta drainInterval() {
    if (members.size() == 0) {
      return null;
    }
    SeriesDelta d = SeriesDelta.set(key, members.toArray());
    members.clear();
    return d;
  }

  @Override
  void merge(SeriesDelta d) {
    for (long m : d.members()) {
      members.add(m);
    }
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    int distinct = members.size();
    members.clear();
    if (snapshot == null || snapshot.value() != distinct) {
      snapshot =
          new SeriesSnapshot(this, tickMillis, distinct, 0, 0, 0, Double.NaN, Double.NaN, null);
    }
    return snapshot;
  }
}
