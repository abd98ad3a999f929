package dev.tally.gateway.ingest;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;

/**
 * Runs the parser and a throwaway shard over synthetic lines of every kind before the sockets open,
 * so that the JIT has compiled the hot path when the first real traffic arrives: a freshly started
 * JVM otherwise parses in the interpreter for its first second, and a full-rate sender overflows
 * the socket buffer meanwhile. Nothing of it is kept or counted.
 */
public final class WarmUp {
  /** Synthetic lines parsed and aggregated: enough for C2 to compile the per-line methods. */
  static final int LINES = 300_000;

  private WarmUp() {}

  /** Blocks the calling thread (not an event loop) for typically 0.2–0.5 s. */
  public static void run(StatsdParserOptions parserOptions, AggregatorOptions aggregatorOptions) {
    StatsdLineParser parser = new StatsdLineParser(parserOptions);
    ShardAggregator shard =
        new ShardAggregator(0, aggregatorOptions, new SeriesLimiter(1 << 20), new PipelineStats());
    String[] kinds = {"c", "c|@0.5", "g", "ms", "h", "d", "s"};
    StringBuilder sb = new StringBuilder();
    int sent = 0;
    while (sent < LINES) {
      SampleBatch batch = new SampleBatch(1024, 64 * 1024);
      for (int p = 0; p < 50; p++) {
        sb.setLength(0);
        for (int i = 0; i < 20; i++, sent++) {
          String kind = kinds[sent % kinds.length];
          String value = kind.equals("s") ? "m" + sent % 50 : Integer.toString(1 + sent % 997);
          sb.append("warm.up.m")
              .append(sent % 1000)
              .append(':')
              .append(value)
              .append('|')
              .append(kind);
          if (sent % 3 == 0) {
            sb.append("|#env:warm,k:").append(sent % 7);
          }
          sb.append('\n');
        }
        byte[] packet = sb.toString().getBytes(StandardCharsets.US_ASCII);
        parser.parse(packet, 0, packet.length, batch::add);
      }
      shard.accept(batch.seal(), 0);
      if (sent % 20_000 == 0) {
        shard.tick(sent);
      }
    }
  }
}
