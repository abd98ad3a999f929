package dev.tally.gateway.cluster;

import java.util.concurrent.atomic.LongAdder;

/** What the forwarder sent, received and lost, for {@code /metrics}. Thread-safe. */
public final class ClusterStats {
  final LongAdder deltasSent = new LongAdder();
  final LongAdder deltasReceived = new LongAdder();
  final LongAdder deltasLost = new LongAdder();
  final LongAdder batchesRefused = new LongAdder();

  /** Series deltas sent to their owners (and acknowledged). */
  public long deltasSent() {
    return deltasSent.sum();
  }

  /** Series deltas received from other nodes for series this node owns. */
  public long deltasReceived() {
    return deltasReceived.sum();
  }

  /**
   * Series deltas whose owner did not acknowledge them within the timeout (it left, or was slow):
   * one tick of those series' data, lost.
   */
  public long deltasLost() {
    return deltasLost.sum();
  }

  /** Batches received that could not be decoded (another version, a damaged message). */
  public long batchesRefused() {
    return batchesRefused.sum();
  }
}
