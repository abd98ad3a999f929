package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.ExponentialHistogramPoint;
import dev.tally.protocol.otlp.HistogramPoint;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.SummaryPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.HistogramLayout;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.cluster.ClusterTicks;
import dev.tally.verticles.cluster.NodeTick;
import dev.tally.verticles.snapshot.NativeHistogram;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The global view of a cluster: a node's own series with every other member's latest, each series'
 * values exactly as its owner shows them after the trip over the wire.
 */
class ClusterTicksTest {
  static final long T0 = 1_700_000_000_000L;
  static final long S = 1_000_000_000L;

  private final ShardAggregator a = shard();

  /** Its timers are histograms, quantile gauges and native histograms, all of which cross. */
  private final ShardAggregator b =
      new ShardAggregator(
          0,
          new AggregatorOptions()
              .setStatsdLayout(
                  new HistogramLayout(ObserverType.BOTH, HistogramLayout.DEFAULT_BUCKETS, true)),
          new SeriesLimiter(1000),
          new PipelineStats());

  private static ShardAggregator shard() {
    return new ShardAggregator(
        0, new AggregatorOptions(), new SeriesLimiter(1000), new PipelineStats());
  }

  private static TickSnapshot tick(ShardAggregator shard, long tickMillis) {
    return new TickAssembler(1).add(shard.tick(tickMillis));
  }

  private static void statsd(ShardAggregator shard, String lines) {
    SampleBatch batch = new SampleBatch();
    byte[] b = lines.getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), T0);
  }

  private static NodeTick overTheWire(NodeTick t) {
    return NodeTick.decode(t.encode());
  }

  @Test
  void everyKindOfSeriesCrossesTheWireAsItsOwnerShowsIt() {
    statsd(b, "api.latency:12|ms|#env:prod\napi.latency:250|ms|#env:prod\nhits:3|c\nt:4|g\nu:x|s");
    OtlpBatch otlp = new OtlpBatch();
    otlp.add(
        new HistogramPoint(
            SeriesKey.of(MetricKind.OTLP_HISTOGRAM, "h", List.of("k", "v")),
            "a histogram",
            S,
            2 * S,
            false,
            6,
            9,
            new double[] {1, 2},
            new long[] {1, 2, 3}));
    otlp.add(
        new SummaryPoint(
            SeriesKey.of(MetricKind.OTLP_SUMMARY, "s", List.of()),
            "",
            0,
            S,
            10,
            2.5,
            new double[] {0.5, 0.99},
            new double[] {0.2, 0.9}));
    otlp.add(
        new ExponentialHistogramPoint(
            SeriesKey.of(MetricKind.OTLP_EXPONENTIAL_HISTOGRAM, "e", List.of()),
            "",
            S,
            2 * S,
            false,
            7,
            10,
            3,
            1,
            5,
            new long[] {1, 0, 2},
            -2,
            new long[] {3}));
    b.accept(otlp.seal(), T0);
    TickSnapshot own = tick(b, T0 + 1000);
    assertThat(names(own))
        .containsExactlyInAnyOrder("api_latency_seconds", "hits_total", "t", "u", "h", "s", "e");

    NodeTick copy = overTheWire(new NodeTick("b", own.tickMillis(), own.series()));
    assertThat(copy.node()).isEqualTo("b");
    assertThat(copy.tickMillis()).isEqualTo(T0 + 1000);
    Map<String, SeriesSnapshot> got = byKey(copy.series());
    for (SeriesSnapshot want : own.series()) {
      SeriesSnapshot g = got.get(LiveJson.key(want));
      assertThat(g).as(LiveJson.key(want)).isNotNull();
      assertThat(g.key()).isEqualTo(want.key());
      assertThat(g.help()).isEqualTo(want.help());
      assertThat(json(g)).isEqualTo(json(want)); // every value the feed shows, exactly
      assertThat(g.quantileCount()).isEqualTo(want.quantileCount());
      for (int i = 0; i < want.quantileCount(); i++) {
        if (want.kind() == MetricKind.TIMER || want.kind() == MetricKind.OTLP_SUMMARY) {
          assertThat(want.quantile(i, want.unitDivisor())).as(LiveJson.key(want)).isNotNaN();
        }
        assertThat(g.quantileLevel(i)).isEqualTo(want.quantileLevel(i));
        assertThat(Double.valueOf(g.quantile(i, want.unitDivisor())))
            .isEqualTo(Double.valueOf(want.quantile(i, want.unitDivisor())));
      }
      assertThat(g.bucketCount()).isEqualTo(want.bucketCount());
      for (int i = 0; i < want.bucketCount(); i++) {
        assertThat(g.bucketBound(i)).isEqualTo(want.bucketBound(i));
        assertThat(g.cumulativeBucketCount(i)).isEqualTo(want.cumulativeBucketCount(i));
      }
      assertThat(g.observer()).isEqualTo(want.observer());
      assertThat(g.createdMillis()).isEqualTo(want.createdMillis()).isPositive();
      assertThat(g.nativeHistogram()).usingRecursiveComparison().isEqualTo(want.nativeHistogram());
    }
    SeriesSnapshot timer = got.get("api_latency_seconds{env=\"prod\"}");
    assertThat(timer.observer()).isEqualTo(ObserverType.BOTH);
    assertThat(timer.bucketCount()).isEqualTo(HistogramLayout.DEFAULT_BUCKETS.length);
    assertThat(timer.nativeHistogram().count()).isEqualTo(2);
    NativeHistogram e = got.get("e{}").nativeHistogram();
    assertThat(e.schema()).isEqualTo(3);
    assertThat(e.positiveFirst()).isEqualTo(6);
    assertThat(e.positive()).containsExactly(1, 0, 2);
    assertThat(e.negativeFirst()).isEqualTo(-1);
    assertThat(e.negative()).containsExactly(3);
    assertThat(e.zeroCount()).isEqualTo(1);
  }

  @Test
  void theGlobalViewIsEveryMembersLatestUntilItLeavesOrGoesQuiet() {
    statsd(a, "mine:1|c");
    statsd(b, "theirs:2|c");
    ClusterTicks ticks = new ClusterTicks(5000);
    TickSnapshot bTick = tick(b, T0 + 1000);
    ticks.peer(overTheWire(new NodeTick("b", bTick.tickMillis(), bTick.series())), T0 + 1000);

    TickSnapshot global = ticks.global(tick(a, T0 + 1000), List.of("a", "b"));
    assertThat(names(global)).containsExactly("mine_total", "theirs_total");
    assertThat(global.tickMillis()).isEqualTo(T0 + 1000);

    ticks.peer(new NodeTick("b", T0, List.of()), T0 + 1500); // older than what is held: ignored
    assertThat(names(ticks.global(tick(a, T0 + 2000), List.of("a", "b"))))
        .containsExactly("mine_total", "theirs_total");

    // b's last tick came at 1000: at 6000 it is shown; at 6001 b has been quiet too long
    assertThat(names(ticks.global(tick(a, T0 + 6000), List.of("a", "b")))).hasSize(2);
    assertThat(names(ticks.global(tick(a, T0 + 6001), List.of("a", "b"))))
        .containsExactly("mine_total");
    assertThat(ticks.peers()).isZero();

    ticks.peer(new NodeTick("b", T0 + 7000, bTick.series()), T0 + 7000);
    assertThat(names(ticks.global(tick(a, T0 + 7000), List.of("a")))) // b left the ring
        .containsExactly("mine_total");
  }

  @Test
  void aNodeWhoseClockIsBehindIsShownWhileItsTicksArrive() {
    statsd(b, "theirs:2|c");
    ClusterTicks ticks = new ClusterTicks(5000);
    TickSnapshot behind = tick(b, T0 - 60_000); // its clock a minute behind this node's
    ticks.peer(new NodeTick("b", behind.tickMillis(), behind.series()), T0 + 1000);
    assertThat(names(ticks.global(tick(a, T0 + 1000), List.of("a", "b"))))
        .containsExactly("theirs_total");
  }

  @Test
  void aSeriesShownByTwoNodesIsTakenFromTheNewerTick() {
    statsd(a, "moving:1|c");
    statsd(b, "moving:5|c");
    ClusterTicks ticks = new ClusterTicks(5000);
    TickSnapshot newer = tick(b, T0 + 2000);
    ticks.peer(new NodeTick("b", newer.tickMillis(), newer.series()), T0 + 2000);
    // this node's tick is older (its owner changed to b): b's value is shown
    TickSnapshot global = ticks.global(tick(a, T0 + 1000), List.of("a", "b"));
    assertThat(global.series()).hasSize(1);
    assertThat(global.series().get(0).value()).isEqualTo(5);

    ClusterTicks tie = new ClusterTicks(5000);
    TickSnapshot same = tick(shardWith("moving:7|c"), T0 + 3000);
    tie.peer(new NodeTick("b", same.tickMillis(), same.series()), T0 + 3000);
    assertThat(tie.global(tick(a, T0 + 3000), List.of("a", "b")).series().get(0).value())
        .as("a tie: this node's")
        .isEqualTo(1);
  }

  @Test
  void aDamagedMessageFailsItsDecoding() {
    statsd(b, "x:1|c");
    TickSnapshot t = tick(b, T0 + 1000);
    Buffer whole = new NodeTick("b", t.tickMillis(), t.series()).encode();
    assertThatThrownBy(() -> NodeTick.decode(whole.getBuffer(0, whole.length() - 3)))
        .isInstanceOf(RuntimeException.class);
    Buffer longer = whole.copy().appendByte((byte) 0);
    assertThatThrownBy(() -> NodeTick.decode(longer)).isInstanceOf(IllegalStateException.class);
    Buffer otherVersion = whole.copy();
    otherVersion.setByte(0, (byte) 9);
    assertThatThrownBy(() -> NodeTick.decode(otherVersion))
        .isInstanceOf(IllegalStateException.class);
    Buffer hugeCount = whole.copy();
    hugeCount.setInt(1 + 4 + 1 + 8, Integer.MAX_VALUE); // after the version, "b" and the tick
    assertThatThrownBy(() -> NodeTick.decode(hugeCount))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bad length");
  }

  private ShardAggregator shardWith(String lines) {
    ShardAggregator s = shard();
    statsd(s, lines);
    return s;
  }

  private static List<String> names(TickSnapshot t) {
    return t.series().stream().map(SeriesSnapshot::family).toList();
  }

  private static String json(SeriesSnapshot s) {
    StringBuilder sb = new StringBuilder();
    LiveJson.series(sb, s);
    return sb.toString();
  }

  private static Map<String, SeriesSnapshot> byKey(List<SeriesSnapshot> series) {
    return series.stream().collect(Collectors.toMap(LiveJson::key, Function.identity()));
  }
}
