package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user series' page written a piece at a time, from a real shard's tick. */
class SeriesExpositionTest {
  private static final long T0 = 1_700_000_000_000L;

  /** One tick of a shard that took {@code lines}. */
  private static TickSnapshot tick(List<String> lines) {
    ShardAggregator shard =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(100_000), new PipelineStats());
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), T0);
    return new TickAssembler(1).add(shard.tick(T0 + 1000));
  }

  private static List<String> pieces(TickSnapshot tick, int chars) {
    SeriesExposition page = new SeriesExposition(tick);
    List<String> pieces = new ArrayList<>();
    while (!page.done()) {
      pieces.add(page.next(chars));
    }
    return pieces;
  }

  @Test
  void piecesOfAnySizeMakeTheSamePageWithOneHeaderPerFamily() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      lines.add("jobs:" + i + "|c|#queue:q" + i);
      lines.add("latency:" + i + "|ms|#route:r" + (i % 7));
    }
    lines.add("depth:3|g");
    TickSnapshot tick = tick(lines);

    List<String> whole = pieces(tick, Integer.MAX_VALUE);
    List<String> small = pieces(tick, 100);

    assertThat(whole).hasSize(1);
    assertThat(small.size()).isGreaterThan(100);
    assertThat(String.join("", small)).isEqualTo(whole.get(0));
    String page = whole.get(0);
    assertThat(page.split("# TYPE jobs_total counter", -1)).hasSize(2);
    assertThat(page.split("# TYPE latency_seconds summary", -1)).hasSize(2);
    assertThat(page).contains("jobs_total{queue=\"q499\"} 499\n", "depth 3\n");
  }

  @Test
  void aKindUnderAnotherKindsNameIsLeftOutAndCountedWhenThePageIsDone() {
    TickSnapshot tick = tick(List.of("x:1|g", "x:2|s", "y:1|g"));
    SeriesExposition page = new SeriesExposition(tick);
    StringBuilder text = new StringBuilder();
    while (!page.done()) {
      text.append(page.next(1));
    }
    assertThat(text.toString()).contains("x 1\n", "y 1\n").doesNotContain("# TYPE x set");
    assertThat(page.conflicts()).isEqualTo(1);
  }
}
