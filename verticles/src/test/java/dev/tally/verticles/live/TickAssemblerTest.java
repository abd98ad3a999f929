package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import org.junit.jupiter.api.Test;

class TickAssemblerTest {
  private final ShardAggregator a = shard(0);
  private final ShardAggregator b = shard(1);

  private static ShardAggregator shard(int i) {
    return new ShardAggregator(
        i, new AggregatorOptions(), new SeriesLimiter(10), new PipelineStats());
  }

  @Test
  void aTickIsCompleteWhenEveryShardHasSentIt() {
    TickAssembler assembler = new TickAssembler(2);
    assertThat(assembler.add(a.tick(1000))).isNull();
    TickSnapshot t = assembler.add(b.tick(1000));
    assertThat(t.tickMillis()).isEqualTo(1000);
  }

  @Test
  void aLateShardDoesNotHoldTheFeedBack() {
    TickAssembler assembler = new TickAssembler(2);
    assembler.add(a.tick(1000));
    TickSnapshot t = assembler.add(a.tick(2000)); // shard b never sent 1000
    assertThat(t.tickMillis()).isEqualTo(1000);
    assertThat(assembler.add(b.tick(1000))).isNull(); // too late for 1000
    assertThat(assembler.add(b.tick(2000)).tickMillis()).isEqualTo(2000);
  }

  @Test
  void oneKeyNamesOneSeriesEvenWhenTwoKindsShareIt() {
    dev.tally.protocol.statsd.SampleBatch batch = new dev.tally.protocol.statsd.SampleBatch();
    byte[] b = "x:1|g\nx:2|h".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    new dev.tally.protocol.statsd.StatsdLineParser(
            new dev.tally.protocol.statsd.StatsdParserOptions())
        .parse(b, 0, b.length, batch::add);
    ShardAggregator one = shard(0);
    one.accept(batch.seal(), 0);
    TickSnapshot t = new TickAssembler(1).add(one.tick(1000));
    assertThat(t.series()).hasSize(1);
    assertThat(t.series().get(0).kind()).isEqualTo(dev.tally.protocol.model.MetricKind.GAUGE);
  }

  @Test
  void theShardsOverflowSeriesOfOneMetricAreMergedIntoOne() {
    SeriesLimiter limiter = new SeriesLimiter(10, 1); // one series per metric
    ShardAggregator x =
        new ShardAggregator(0, new AggregatorOptions(), limiter, new PipelineStats());
    ShardAggregator y =
        new ShardAggregator(1, new AggregatorOptions(), limiter, new PipelineStats());
    x.accept(batch("c:1|c|#id:1\nc:2|c|#id:2"), 0); // id 1 takes the place, id 2 overflows
    y.accept(batch("c:5|c|#id:3"), 0); // overflows on the other shard
    TickAssembler assembler = new TickAssembler(2);
    assembler.add(x.tick(1000));
    TickSnapshot t = assembler.add(y.tick(1000));
    assertThat(t.series())
        .extracting(LiveJson::key)
        .containsExactly("c_total{id=\"1\"}", "c_total{otel_metric_overflow=\"true\"}");
    assertThat(t.series().get(1).value()).isEqualTo(7.0);
  }

  private static dev.tally.protocol.statsd.SampleBatch batch(String lines) {
    dev.tally.protocol.statsd.SampleBatch batch = new dev.tally.protocol.statsd.SampleBatch();
    byte[] b = lines.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    new dev.tally.protocol.statsd.StatsdLineParser(
            new dev.tally.protocol.statsd.StatsdParserOptions())
        .parse(b, 0, b.length, batch::add);
    return batch.seal();
  }
}
