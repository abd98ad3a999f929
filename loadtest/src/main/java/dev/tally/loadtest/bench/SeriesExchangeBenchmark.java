package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.cluster.ClusterTicks;
import dev.tally.verticles.cluster.NodeTick;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the cluster's global view per tick (issue 10), on one thread: a node's {@code series}
 * owned series (counters and timers, half each) encoded for the other nodes ({@link
 * NodeTick#encode()}), decoded there, and merged with two other nodes' as many into the global tick
 * ({@link ClusterTicks}). Divided by the series count it is the cost per series per tick.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar SeriesExchangeBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
public class SeriesExchangeBenchmark {
  @Param({"10000"})
  public int series;

  private TickSnapshot[] nodes;
  private Buffer encoded;

  @Setup
  public void setUp() {
    nodes = new TickSnapshot[3];
    for (int n = 0; n < nodes.length; n++) {
      ShardAggregator shard =
          new ShardAggregator(
              0, new AggregatorOptions(), new SeriesLimiter(10 * series), new PipelineStats());
      StringBuilder sb = new StringBuilder();
      for (int id = 0; id < series; id++) {
        String type = id % 2 == 0 ? "c" : "ms";
        for (int s = 0; s < 10; s++) {
          sb.append("node")
              .append(n)
              .append(".x")
              .append(id)
              .append(":")
              .append(1 + (id * 7 + s * 13) % 500)
              .append("|")
              .append(type)
              .append("|#env:prod\n");
        }
      }
      byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
      SampleBatch batch = new SampleBatch(series * 10);
      new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, batch::add);
      shard.accept(batch.seal(), 1_700_000_000_000L);
      for (int i = 0; i < 100; i++) { // quantiles are computed within a budget per tick
        shard.tick(1_700_000_001_000L);
      }
      nodes[n] = new TickAssembler(1).add(shard.tick(1_700_000_002_000L));
    }
    encoded = encode();
    if (mergeThreeNodes() != 3 * series) { // the merge must hold every node's series
      throw new IllegalStateException("the global tick lacks series: " + mergeThreeNodes());
    }
    System.out.println("\nbytes per series: " + (double) encoded.length() / series);
  }

  /** A node's owned series encoded for the others: what its {@code SeriesExchange} publishes. */
  @Benchmark
  public Buffer encode() {
    return new NodeTick("a", nodes[0].tickMillis(), nodes[0].series()).encode();
  }

  /** What another node does with it. */
  @Benchmark
  public List<SeriesSnapshot> decode() {
    return NodeTick.decode(encoded).series();
  }

  /** This node's tick merged with two others' (as many series each) into the global tick. */
  @Benchmark
  public int mergeThreeNodes() {
    ClusterTicks ticks = new ClusterTicks(5000);
    ticks.peer(new NodeTick("b", nodes[1].tickMillis(), nodes[1].series()), nodes[0].tickMillis());
    ticks.peer(new NodeTick("c", nodes[2].tickMillis(), nodes[2].series()), nodes[0].tickMillis());
    return ticks.global(nodes[0], List.of("a", "b", "c")).series().size();
  }
}
