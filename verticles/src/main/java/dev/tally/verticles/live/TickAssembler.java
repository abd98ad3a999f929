package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the shards' snapshots of one tick into one {@link TickSnapshot}: complete when every shard
 * has sent that tick. A shard that is late does not hold the feed back: when a snapshot of a newer
 * tick arrives, the older tick is completed with the late shard's previous snapshot. Confined to
 * one thread.
 *
 * <p>Known limit: the late shard's previous values are shown under the older tick, and its snapshot
 * of that tick, when it comes, is superseded by the next one.
 */
public final class TickAssembler {
  private final ShardSnapshot[] latest;
  private long emittedTick = Long.MIN_VALUE;

  public TickAssembler(int shards) {
    this.latest = new ShardSnapshot[shards];
  }

  /** Takes a shard's snapshot; returns the assembled tick if this one completes it, else null. */
  public TickSnapshot add(ShardSnapshot snapshot) {
    long tick = snapshot.tickMillis();
    if (tick <= emittedTick) {
      latest[snapshot.shard()] = snapshot; // a late shard: its data shows from the next tick
      return null;
    }
    TickSnapshot stale = null;
    for (ShardSnapshot s : latest) {
      if (s != null && s.tickMillis() > emittedTick && s.tickMillis() < tick) {
        stale = assemble(s.tickMillis()); // a newer tick began: finish the older one as it is
        break;
      }
    }
    latest[snapshot.shard()] = snapshot;
    for (ShardSnapshot s : latest) {
      if (s == null || s.tickMillis() != tick) {
        return stale;
      }
    }
    return assemble(tick); // complete (a stale one, if any, is superseded by it)
  }

  private TickSnapshot assemble(long tick) {
    emittedTick = tick;
    List<SeriesSnapshot> all = new ArrayList<>();
    for (ShardSnapshot s : latest) {
      if (s != null) {
        all.addAll(s.series());
      }
    }
    // the same key from several shards (each keeps its own overflow series) is merged, as in
    // /metrics
    return TickSnapshot.of(tick, all, SeriesSnapshot::merge);
  }
}
