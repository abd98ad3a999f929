package dev.tally.gateway.ingest;

import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;

/**
 * Runs the ingest path (the same {@link DatagramHandler}, {@link BatchAccumulator} and shard code
 * as production, minus Netty and the event bus) over synthetic datagrams of every kind before the
 * sockets open, so that the JIT has compiled it, with production's call profile, when the first
 * real traffic arrives. Without it a fresh JVM fell behind a full-rate sender for its first half
 * second or more and the socket buffer overflowed (measured). Nothing of it is kept or counted.
 */
public final class WarmUp {
  /** Synthetic lines: enough for C2 to compile the per-line methods. */
  static final int LINES = 400_000;

  private WarmUp() {}

  /** Blocks the calling thread (not an event loop): about 1.2 s on the 2-core bench machine. */
  public static void run(
      StatsdParserOptions parserOptions, AggregatorOptions aggregatorOptions, int shards) {
    ShardAggregator shard =
        new ShardAggregator(0, aggregatorOptions, new SeriesLimiter(1 << 20), new PipelineStats());
    PipelineStats stats = new PipelineStats();
    ShardRouter router = new ShardRouter(shards, Integer.MAX_VALUE);
    BatchAccumulator accumulator =
        new BatchAccumulator(
            (s, batch) -> {
              router.release(s);
              shard.accept(batch, 0);
              batch.release();
            },
            events -> {},
            router,
            stats,
            new RejectedLines());
    DatagramHandler handler =
        new DatagramHandler(new StatsdLineParser(parserOptions), accumulator, stats, 65_507);
    String[] kinds = {"c", "c|@0.5", "g", "ms", "h", "d", "s"};
    StringBuilder sb = new StringBuilder();
    for (int sent = 0, turn = 1; sent < LINES; turn++) {
      for (int p = 0; p < 16; p++) {
        sb.setLength(0);
        for (int i = 0; i < 20; i++, sent++) {
          String kind = kinds[sent % kinds.length];
          String value = kind.equals("s") ? "m" + sent % 50 : Integer.toString(1 + sent % 997);
          sb.append("warm.up.m").append(sent % 1000).append(':').append(value).append('|');
          sb.append(kind);
          if (sent % 3 == 0) {
            sb.append("|#env:warm,k:").append(sent % 7);
          }
          sb.append('\n');
        }
        byte[] datagram = sb.toString().getBytes(StandardCharsets.US_ASCII);
        handler.datagram(datagram, datagram.length);
      }
      handler.endOfTurn();
      if (turn % 64 == 0) {
        shard.tick(turn); // the tick path too: snapshots, quantiles
      }
    }
  }
}
