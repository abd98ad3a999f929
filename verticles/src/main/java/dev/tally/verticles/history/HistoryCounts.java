package dev.tally.verticles.history;

/** What the history store did, counted by its writer; read on the writer's thread. */
public final class HistoryCounts {
  long series;
  long samples;
  long outOfOrder;
  long blocksWritten;
  long blocksDroppedRetention;
  long blocksDroppedBytes;
  long corruptBlocks;
  long truncatedBytes;
  int blocks;
  long bytes;

  /** Series added since start. */
  public long series() {
    return series;
  }

  /** Samples appended since start (stale markers among them). */
  public long samples() {
    return samples;
  }

  /** Appends refused because their time was not after the last one. */
  public long outOfOrder() {
    return outOfOrder;
  }

  public long blocksWritten() {
    return blocksWritten;
  }

  /** Blocks deleted because they were older than the retention. */
  public long blocksDroppedRetention() {
    return blocksDroppedRetention;
  }

  /** Blocks deleted to keep the history within its byte bound. */
  public long blocksDroppedBytes() {
    return blocksDroppedBytes;
  }

  /** Blocks set aside at start because they failed their checksums. */
  public long corruptBlocks() {
    return corruptBlocks;
  }

  /** Bytes cut off the logs' ends at start (a record cut by a crash). */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  /** Blocks on disk. */
  public int blocks() {
    return blocks;
  }

  /** Bytes on disk, blocks and logs. */
  public long bytes() {
    return bytes;
  }
}
