package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Heap per active series, by kind: fills one shard with {@code n} series (names and tags like the
 * bench sender's), ticks once so that every series has its snapshot, and divides the heap growth
 * (after full GCs) by {@code n}. Timers get {@code samples} log-normal values each (median 100 ms,
 * sigma 1.5, like the bench sender).
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar dev.tally.loadtest.bench.SeriesFootprint [n] [samples]
 * </pre>
 */
public final class SeriesFootprint {
  private SeriesFootprint() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    for (String kind : new String[] {"c", "g", "s", "ms"}) {
      System.out.printf(
          "%-2s %,d series: %,d bytes per series%n", kind, n, perSeries(kind, n, samples));
    }
  }

  private static long perSeries(String kind, int n, int samples) {
    long before = usedAfterGc();
    ShardAggregator aggregator =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(10 * n), new PipelineStats());
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    Random random = new Random(1);
    int perSeries = kind.equals("ms") ? samples : 1;
    for (int round = 0; round < perSeries; round++) {
      SampleBatch batch = new SampleBatch();
      for (int id = 0; id < n; id++) {
        String value =
            kind.equals("ms")
                ? Long.toString(
                    Math.max(1, Math.round(100 * Math.exp(1.5 * random.nextGaussian()))))
                : kind.equals("s") ? "u" + id % 10 : "1";
        byte[] line =
            ("bench."
                    + kind
                    + ".s"
                    + id
                    + ":"
                    + value
                    + "|"
                    + kind
                    + "|#env:bench,shard:"
                    + id % 16)
                .getBytes(StandardCharsets.US_ASCII);
        parser.parse(line, 0, line.length, batch::add);
        if (batch.size() == 4096) {
          aggregator.accept(batch.seal(), 0);
          batch = new SampleBatch();
        }
      }
      aggregator.accept(batch.seal(), 0);
    }
    ShardSnapshot snapshot = aggregator.tick(1000);
    long after = usedAfterGc();
    java.lang.ref.Reference.reachabilityFence(aggregator);
    if (snapshot.series().size() != n) {
      throw new IllegalStateException("expected " + n + " series, got " + snapshot.series().size());
    }
    return (after - before) / n;
  }

  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
