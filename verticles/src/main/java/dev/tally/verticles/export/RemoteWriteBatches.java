package dev.tally.verticles.export;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.RemoteWriteEncoder;
import dev.tally.verticles.live.Subscription;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns a tick into the records of a remote-write target's queues: every matched series' samples as
 * {@code /metrics} shows them ({@link ExposedSamples}), stamped with the tick, each series in the
 * shard its key hashes to, cut into records of at most {@code maxSamples}; and a stale marker for
 * every sample of a series sent last time that is gone now (expired, or no longer owned by this
 * node), as Prometheus marks a target's vanished series. Not thread-safe: the target's exporter
 * owns it.
 */
public final class RemoteWriteBatches {
  /** Gets each record made. */
  @FunctionalInterface
  public interface Records {
    void record(int shard, byte[] bytes, int length, int samples);
  }

  private final Subscription match;
  private final Predicate<SeriesKey> owned;
  private final int maxSamples;
  private final RemoteWriteEncoder[] encoders;
  private List<SeriesSnapshot> previous = List.of(); // sent last time, in SeriesSnapshot.ORDER

  /**
   * @param owned true for a series this node owns (in a cluster; always true alone): a series that
   *     left the tick because another node owns it now is sent by that node, and gets no stale
   *     marker from this one, which would collide with that node's sample
   */
  public RemoteWriteBatches(
      List<String> match, int shards, int maxSamples, Predicate<SeriesKey> owned) {
    this.match = Subscription.of(match);
    this.owned = owned;
    this.maxSamples = maxSamples;
    this.encoders = new RemoteWriteEncoder[shards];
    for (int i = 0; i < shards; i++) {
      encoders[i] = new RemoteWriteEncoder(64 * 1024);
    }
  }

  /** The shard of a series. */
  int shard(SeriesSnapshot s) {
    return ExportTarget.shardOf(s.key().hashCode(), encoders.length);
  }

  /** Encodes {@code tick} into records; returns the samples encoded (stale markers among them). */
  public long encode(TickSnapshot tick, Records out) {
    long millis = tick.tickMillis();
    List<SeriesSnapshot> now = new ArrayList<>(tick.series().size());
    for (SeriesSnapshot s : tick.series()) {
      if (match.matches(s)) {
        now.add(s);
      }
    }
    long samples = 0;
    int p = 0;
    for (SeriesSnapshot s : now) {
      while (p < previous.size() && SeriesSnapshot.ORDER.compare(previous.get(p), s) < 0) {
        samples += gone(previous.get(p++), millis, out);
      }
      if (p < previous.size() && SeriesSnapshot.ORDER.compare(previous.get(p), s) == 0) {
        p++;
      }
      samples += write(s, millis, false, out);
    }
    while (p < previous.size()) {
      samples += gone(previous.get(p++), millis, out);
    }
    for (int shard = 0; shard < encoders.length; shard++) {
      flush(shard, out);
    }
    previous = now;
    return samples;
  }

  /** A series sent last time and not now: stale, unless another node has taken it over. */
  private int gone(SeriesSnapshot s, long millis, Records out) {
    return owned.test(s.key()) ? write(s, millis, true, out) : 0;
  }

  private int write(SeriesSnapshot s, long millis, boolean stale, Records out) {
    int shard = shard(s);
    RemoteWriteEncoder encoder = encoders[shard].series(s.key());
    int before = encoder.samples();
    ExposedSamples.Sink sink =
        (name, extraName, extraValue, value, exemplar) ->
            encoder.sample(
                name, extraName, extraValue, stale ? RemoteWriteEncoder.STALE_NAN : value, millis);
    ExposedSamples.forEach(s, sink);
    ExposedSamples.forEachWindowSummary(s, sink);
    int written = encoder.samples() - before;
    if (encoder.samples() >= maxSamples) {
      flush(shard, out);
    }
    return written;
  }

  private void flush(int shard, Records out) {
    RemoteWriteEncoder encoder = encoders[shard];
    if (encoder.samples() > 0) {
      out.record(shard, encoder.array(), encoder.size(), encoder.samples());
      encoder.reset();
    }
  }
}
