package dev.tally.gateway.http;

import dev.tally.verticles.aggregate.ShardSnapshot;

/**
 * The latest tick of each shard, for the health checks: a shard that stops ticking makes the node
 * not ready. Confined to the HTTP verticle's event loop.
 */
final class SnapshotView {
  private final long[] latestTickMillis; // 0 until the shard has ticked

  SnapshotView(int shards) {
    this.latestTickMillis = new long[shards];
  }

  void update(ShardSnapshot snapshot) {
    latestTickMillis[snapshot.shard()] = snapshot.tickMillis();
  }

  /** The oldest latest tick over all shards (epoch ms); 0 until every shard has ticked. */
  long oldestTickMillis() {
    long oldest = Long.MAX_VALUE;
    for (long t : latestTickMillis) {
      if (t == 0) {
        return 0;
      }
      oldest = Math.min(oldest, t);
    }
    return oldest;
  }
}
