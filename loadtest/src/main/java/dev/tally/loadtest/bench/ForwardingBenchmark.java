package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.DeltaBatchCodec;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of forwarding one series for one tick (issue 10), on one thread: a shard that owns none
 * of {@code series} series, each with {@code samples} new samples this tick, drains them at its
 * tick; the deltas are encoded for the wire and decoded (the clustered event bus' work on both
 * ends, without the network); the owner's shard merges them. Reported as time per tick; divided by
 * the series count it is the cost per series per tick. The samples' own aggregation is not measured
 * here (see {@link AggregationBenchmark}): they are recorded in the setup of each tick.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar ForwardingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
public class ForwardingBenchmark {
  @Param({"10000"})
  public int series;

  @Param({"c", "ms"})
  public String type;

  @Param({"10"})
  public int samples;

  private ShardAggregator sender;
  private ShardAggregator owner;
  private SampleBatch batch;
  private final DeltaBatchCodec codec = new DeltaBatchCodec();
  private long tick = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setUp() {
    sender =
        new ShardAggregator(
            0,
            new AggregatorOptions(),
            new SeriesLimiter(10 * series),
            new PipelineStats(),
            Ownership.fixed(false));
    owner =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(10 * series), new PipelineStats(), null);
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    StringBuilder sb = new StringBuilder();
    for (int id = 0; id < series; id++) {
      for (int s = 0; s < samples; s++) {
        sb.append("fwd.")
            .append(type)
            .append(id)
            .append(':')
            .append(1 + (id * 7 + s * 13) % 500)
            .append('|')
            .append(type)
            .append('\n');
      }
    }
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    batch = new SampleBatch(series * samples);
    parser.parse(b, 0, b.length, batch::add);
    batch.seal();
  }

  /** A tick's samples, recorded before the measured forwarding. */
  @Setup(Level.Invocation)
  public void record() {
    tick += 1000;
    sender.accept(batch, tick - 500);
  }

  @Benchmark
  public int forwardOneTick() {
    ShardSnapshot s = sender.tick(tick);
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeltaBatch("sender", tick, s.outgoing()));
    DeltaBatch received = codec.decodeFromWire(0, wire);
    owner.accept(received, tick);
    return wire.length();
  }
}
