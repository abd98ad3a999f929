package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One shard's aggregation in samples per second: batches of 20 samples, round-robin over {@code
 * series} series of one kind, already parsed; the series exist (warmed up), so this is the steady
 * state: raw-key look-up and update.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar AggregationBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregationBenchmark {
  static final int LINES = 20;

  @Param({"100", "100000"})
  public int series;

  @Param({"c", "ms"})
  public String type;

  /**
   * The series limit: below {@code series}, the samples of the series beyond it go to overflow
   * series, each looked up by its canonical key (the series-limit attack's path).
   */
  @Param({"10000000"})
  public int maxSeries;

  private SampleBatch[] batches;
  private ShardAggregator aggregator;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    int count = Math.max(1, series / LINES);
    batches = new SampleBatch[count];
    for (int b = 0; b < count; b++) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < LINES; i++) {
        int id = (b * LINES + i) % series;
        sb.append("bench.")
            .append(type)
            .append(".s")
            .append(id)
            .append(':')
            .append(1 + id % 500)
            .append('|')
            .append(type)
            .append('\n');
      }
      byte[] packet = sb.toString().getBytes(StandardCharsets.US_ASCII);
      SampleBatch batch = new SampleBatch();
      parser.parse(packet, 0, packet.length, batch::add);
      batches[b] = batch.seal();
    }
    aggregator =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(maxSeries), new PipelineStats());
    for (SampleBatch batch : batches) {
      aggregator.accept(batch, 0);
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void accept() {
    aggregator.accept(batches[next], 0);
    next = next + 1 == batches.length ? 0 : next + 1;
  }
}
