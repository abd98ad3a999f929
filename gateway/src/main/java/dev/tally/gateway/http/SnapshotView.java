package dev.tally.gateway.http;

import dev.tally.verticles.aggregate.ShardSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The latest {@link ShardSnapshot} of every shard, as received on {@code tally.snapshot}. Confined
 * to the HTTP verticle's event loop.
 */
final class SnapshotView {
  private final ShardSnapshot[] latest;
  private long version;

  SnapshotView(int shards) {
    this.latest = new ShardSnapshot[shards];
  }

  void update(ShardSnapshot snapshot) {
    latest[snapshot.shard()] = snapshot;
    version++;
  }

  /** Changes whenever a snapshot arrives. */
  long version() {
    return version;
  }

  /** The latest snapshots, one per shard that has ticked. */
  List<ShardSnapshot> snapshots() {
    List<ShardSnapshot> out = new ArrayList<>(latest.length);
    for (ShardSnapshot s : latest) {
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** The oldest latest tick over all shards (epoch ms); 0 until every shard has ticked. */
  long oldestTickMillis() {
    long oldest = Long.MAX_VALUE;
    for (ShardSnapshot s : latest) {
      if (s == null) {
        return 0;
      }
      oldest = Math.min(oldest, s.tickMillis());
    }
    return oldest;
  }
}
