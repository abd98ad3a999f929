package dev.tally.gateway.ingest;

import dev.tally.protocol.statsd.ParseStats;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.StatsdTransport;

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
  private final StatsdTransport transport;
  private long packets;
  private long bytes;

  DatagramHandler(
      StatsdLineParser parser,
      BatchAccumulator accumulator,
      PipelineStats stats,
      int maxPacketSize) {
    this(parser, accumulator, stats, maxPacketSize, StatsdTransport.UDP);
  }

  DatagramHandler(
      StatsdLineParser parser,
      BatchAccumulator accumulator,
      PipelineStats stats,
      int maxPacketSize,
      StatsdTransport transport) {
    this.transport = transport;
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
    this.bytes += length;
    if (length > maxPacketSize) {
      int lastLine = lastNewline(bytes, maxPacketSize);
      parser.parse(bytes, 0, lastLine, accumulator);
      parser.rejectTruncated(bytes, lastLine, length, accumulator);
    } else {
      parser.parse(bytes, 0, length, accumulator);
    }
  }

  /**
   * Parses whole lines of a stream (TCP), {@code bytes[from, to)}: each ends with a newline, or is
   * the last of a connection, or is a cut line too long to be accepted.
   */
  void lines(byte[] bytes, int from, int to) {
    parser.parse(bytes, from, to, accumulator);
  }

  /** Counts {@code n} bytes read from a stream. */
  void read(int n) {
    bytes += n;
  }

  /** Ends a read turn: sends the batches, adds the turn's counts to the pipeline's. */
  void endOfTurn() {
    accumulator.flush();
    stats.addPackets(packets);
    packets = 0;
    ParseStats turn = parser.stats();
    stats.addTransport(transport, turn.accepted(), turn.rejectedTotal(), bytes);
    bytes = 0;
    turn.drainTo(stats);
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
