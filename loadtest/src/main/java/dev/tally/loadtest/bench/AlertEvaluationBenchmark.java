package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.alert.AlertEvaluator;
import dev.tally.verticles.alert.RuleException;
import dev.tally.verticles.alert.RuleParser;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.json.JsonObject;
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
 * One tick's alert evaluation (issue 8's target: 10 000 rules over 100 000 series in each 1 s tick
 * on one core): {@code series} gauges of 1 000 metric names × hosts, {@code rules} rules, nine in
 * ten on one metric and one host (tag), one in ten a glob over ten metrics; about 1 % of the series
 * breach their rules and fire.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar AlertEvaluationBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AlertEvaluationBenchmark {
  static final int METRICS = 1000;

  @Param({"100000"})
  public int series;

  @Param({"10000"})
  public int rules;

  private TickSnapshot tick;
  private AlertEvaluator evaluator;
  private long now = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setUp() throws RuleException {
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    ShardAggregator shard =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(10_000_000), new PipelineStats());
    int hosts = series / METRICS;
    for (int m = 0; m < METRICS; m++) {
      StringBuilder sb = new StringBuilder();
      for (int h = 0; h < hosts; h++) {
        int value = (m * hosts + h) % 100; // 0..99: value > 98 breaches for 1 %
        sb.append("svc.m").append(m).append(':').append(value).append("|g|#host:h").append(h);
        sb.append('\n');
      }
      byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
      SampleBatch batch = new SampleBatch();
      parser.parse(b, 0, b.length, batch::add);
      shard.accept(batch.seal(), now);
    }
    tick = new TickAssembler(1).add(shard.tick(now + 1000));
    evaluator = new AlertEvaluator();
    for (int r = 0; r < rules; r++) {
      String rule =
          r % 10 == 9
              ? "{\"name\":\"g"
                  + r
                  + "\",\"match\":\"svc.m"
                  + (r % 100)
                  + "?\","
                  + "\"value\":\"value\",\"op\":\">\",\"threshold\":98}"
              : "{\"name\":\"r"
                  + r
                  + "\",\"match\":\"svc.m"
                  + (r % METRICS)
                  + "\","
                  + "\"tags\":{\"host\":\"h"
                  + (r % hosts)
                  + "\"},"
                  + "\"value\":\"value\",\"op\":\">\",\"threshold\":98}";
      evaluator.putRule(RuleParser.parse(new JsonObject(rule)), now);
    }
  }

  @Benchmark
  public int evaluate() {
    now += 1000;
    return evaluator.evaluate(tick, now).size();
  }
}
