package dev.tally.verticles.cluster;

import java.util.Collections;
import java.util.List;

/**
 * The deltas one node sends another at one tick (the series it gathered that the other owns), or a
 * shard's share of them. Immutable.
 *
 * @param from the sending node's id
 * @param tickMillis the tick they were gathered in
 * @param bytes for a shard's share, the bytes it holds of the shards' shared byte bound (released
 *     by the shard when it has taken it); 0 otherwise
 */
public record DeltaBatch(String from, long tickMillis, List<SeriesDelta> deltas, long bytes) {
  public DeltaBatch {
    deltas = Collections.unmodifiableList(deltas); // handed over by whoever made the list
  }

  /** Deltas on their way between nodes (no place in a shard's queue). */
  public DeltaBatch(String from, long tickMillis, List<SeriesDelta> deltas) {
    this(from, tickMillis, deltas, 0);
  }
}
