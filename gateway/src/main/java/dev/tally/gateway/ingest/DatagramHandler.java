package dev.tally.gateway.ingest;

import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.verticles.stats.PipelineStats;

/**
 * What one StatsD socket does with its datagrams, apart from Netty: parse each into per-shard
 * batches, and at the end of a read turn send the batches and publish the counts. {@link WarmUp}
 * drives this same code before the sockets open, so that the JIT compiles it with the profile it
 * will see in production. Confined to one event loop.
 */
final class DatagramHandler {
  private final StatsdLineParser parser;
  private final BatchAccumulator accumulator;
  private final PipelineStats stats;
  private final int maxPacketSize;
  private long packets;

  DatagramHandler(
      StatsdLineParser parser,
      BatchAccumulator accumulator,
      PipelineStats stats,
      int maxPacketSize) {
    this.parser = parser;
    this.accumulator = accumulator;
    this.stats = stats;
    this.maxPacketSize = maxPacketSize;
  }

  /**
   * Parses one datagram of {@code length} bytes in {@code bytes}; a datagram longer than the limit
   * (the kernel cut it) keeps its whole lines and rejects its cut end as {@code packet_too_long}.
   */
  void datagram(byte[] bytes, int length) {
    packets++;
    if (length > maxPacketSize) {
      int lastLine = lastNewline(bytes, maxPacketSize);
      parser.parse(bytes, 0, lastLine, accumulator);
      parser.rejectTruncated(bytes, lastLine, length, accumulator);
    } else {
      parser.parse(bytes, 0, length, accumulator);
    }
  }

  /** Ends a read turn: sends the batches, adds the turn's counts to the pipeline's. */
  void endOfTurn() {
    accumulator.flush();
    stats.addPackets(packets);
    packets = 0;
    parser.stats().drainTo(stats);
  }

  /**
   * True if the shards are behind and the socket should not be read (see {@link BatchAccumulator}).
   */
  boolean backlogged() {
    return accumulator.backlogged();
  }

  /** True once the shards have caught up and the socket may be read again. */
  boolean caughtUp() {
    return accumulator.caughtUp();
  }

  private static int lastNewline(byte[] b, int limit) {
    for (int i = limit - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }
}
