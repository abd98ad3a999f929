package dev.tally.gateway.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the forwarder sent, received and lost, and what the series exchange published, for {@code
 * /metrics}. Thread-safe.
 */
public final class ClusterStats {
  final LongAdder deltasSent = new LongAdder();
  final LongAdder deltasReceived = new LongAdder();
  final LongAdder deltasLost = new LongAdder();
  final LongAdder batchesRefused = new LongAdder();
  final LongAdder deltasDropped = new LongAdder();
  final LongAdder viewBytesSent = new LongAdder();
  final LongAdder viewsRefused = new LongAdder();

  /** Series deltas sent to their owners (and acknowledged). */
  public long deltasSent() {
    return deltasSent.sum();
  }

  /**
   * Series deltas received for series this node owns: from other nodes, and this node's own when
   * the ring changed between its shards' tick and the forwarder's.
   */
  public long deltasReceived() {
    return deltasReceived.sum();
  }

  /**
   * Series deltas lost on their way to their owner: not acknowledged within the timeout (it left,
   * or was slow), refused by it, or not sent because too many batches already wait for it. One tick
   * of those series' data each.
   */
  public long deltasLost() {
    return deltasLost.sum();
  }

  /**
   * Series deltas this node received for series it owns and dropped because the shard's queue or
   * the shards' byte bound was full (overload).
   */
  public long deltasDropped() {
    return deltasDropped.sum();
  }

  /** Batches received that could not be decoded (another version, a damaged message). */
  public long batchesRefused() {
    return batchesRefused.sum();
  }

  /** Bytes of this node's series published to the other nodes for their global view. */
  public long viewBytesSent() {
    return viewBytesSent.sum();
  }

  /** Other nodes' published series that could not be decoded (another version, damaged). */
  public long viewsRefused() {
    return viewsRefused.sum();
  }
}
