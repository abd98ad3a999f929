package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.ExponentialHistogramPoint;
import dev.tally.protocol.otlp.HistogramPoint;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.SummaryPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.DeltaBatchCodec;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' shards, one owning every series and one owning none, with the deltas going through the
 * wire codec: the owner's series equal a single shard's that took every sample, timers' quantiles
 * included (histograms merge exactly).
 */
class ForwardingTest {
  static final long T0 = 1_700_000_000_000L;
  static final long S = 1_000_000_000L; // a second in nanoseconds
  private final StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());

  private final ShardAggregator owner = shard(() -> true);
  private final ShardAggregator other = shard(() -> false);
  private final ShardAggregator single = shard(() -> true);

  @Test
  void theOwnerShowsWhatOneShardFedEverySampleShows() {
    Random random = new Random(3);
    for (int tick = 1; tick <= 3; tick++) {
      List<String> mine = new ArrayList<>();
      List<String> theirs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        String timer =
            "api.latency:" + Math.round(100 * Math.exp(random.nextGaussian())) + "|ms|#env:prod";
        (i % 3 == 0 ? mine : theirs).add(timer);
      }
      theirs.add("few.latency:" + (10 + tick) + "|ms"); // a sparse interval: listed values
      mine.add("api.requests:2|c");
      theirs.add("api.requests:5|c|@0.5");
      theirs.add("users:ann|s");
      theirs.add("users:bob|s");
      mine.add("users:ann|s");
      theirs.add("temp:7|g");
      long now = T0 + tick * 1000 - 500;
      send(owner, now, mine);
      send(other, now, theirs);
      send(single, now, mine);
      send(single, now, theirs);

      ShardSnapshot forwarded = other.tick(T0 + tick * 1000);
      assertThat(forwarded.series()).isEmpty(); // nothing of what it does not own is shown
      assertThat(forwarded.outgoing()).hasSize(5);
      assertThat(forwarded.outgoing().stream().filter(d -> d.histogram() != null)).hasSize(1);
      assertThat(forwarded.outgoing().stream().filter(d -> d.values() != null)).hasSize(1);
      owner.accept(
          overTheWire(new DeltaBatch("other", T0 + tick * 1000, forwarded.outgoing())), now + 1);
      Map<String, SeriesSnapshot> got = byName(owner.tick(T0 + tick * 1000));
      Map<String, SeriesSnapshot> want = byName(single.tick(T0 + tick * 1000));
      assertThat(want.keySet())
          .containsExactlyInAnyOrder(
              "api_latency_seconds{env=\"prod\"}",
              "few_latency_seconds{}",
              "api_requests_total{}",
              "users{}",
              "temp{}");
      assertThat(got.keySet()).isEqualTo(want.keySet());
      for (String key : want.keySet()) {
        SeriesSnapshot g = got.get(key);
        SeriesSnapshot w = want.get(key);
        assertThat(Double.valueOf(g.value())).as(key).isEqualTo(Double.valueOf(w.value()));
        assertThat(Double.valueOf(g.count())).as(key).isEqualTo(Double.valueOf(w.count()));
        assertThat(g.sum()).as(key).isCloseTo(w.sum(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Double.valueOf(g.min())).as(key).isEqualTo(Double.valueOf(w.min()));
        assertThat(Double.valueOf(g.max())).as(key).isEqualTo(Double.valueOf(w.max()));
      }
    }
    // quantiles are computed at the tick within a budget: compare once both have them
    owner.tick(T0 + 4000);
    single.tick(T0 + 4000);
    SeriesSnapshot g = byName(owner.tick(T0 + 5000)).get("api_latency_seconds{env=\"prod\"}");
    SeriesSnapshot w = byName(single.tick(T0 + 5000)).get("api_latency_seconds{env=\"prod\"}");
    for (int q = 0; q < SeriesSnapshot.QUANTILES.size(); q++) {
      assertThat(g.quantile(q))
          .as("quantile %s", SeriesSnapshot.QUANTILES.get(q))
          .isNotNaN()
          .isEqualTo(w.quantile(q));
    }
    assertThat(g.count()).isEqualTo(6000);
  }

  @Test
  void gaugeAdjustmentsOnTwoNodesAddAtTheOwner() {
    send(owner, T0, List.of("queue:10|g", "queue:+1|g"));
    send(other, T0, List.of("queue:+1|g", "queue:+1|g", "queue:-3|g"));
    owner.accept(
        overTheWire(new DeltaBatch("other", T0 + 1000, other.tick(T0 + 1000).outgoing())), T0 + 1);
    assertThat(byName(owner.tick(T0 + 1000)).get("queue{}").value()).isEqualTo(10.0);
    // a value set on the other node later replaces it, adjustments after it included
    send(other, T0 + 1500, List.of("queue:4|g", "queue:+2|g"));
    owner.accept(
        overTheWire(new DeltaBatch("other", T0 + 2000, other.tick(T0 + 2000).outgoing())),
        T0 + 1501);
    assertThat(byName(owner.tick(T0 + 2000)).get("queue{}").value()).isEqualTo(6.0);
  }

  @Test
  void aSeriesThatChangesOwnerKeepsOrCountsItsTick() {
    PipelineStats stats = new PipelineStats();
    java.util.concurrent.atomic.AtomicBoolean mine =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    ShardAggregator node =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(1000), stats, ownership(mine::get));
    send(node, T0, List.of("t:10|ms", "t:20|ms", "c:1|c", "g:5|g"));
    assertThat(byName(node.tick(T0 + 1000))).containsKeys("t_seconds{}", "c_total{}", "g{}");
    // another node owns them from the next tick: the counter's and gauge's tick go out, the
    // timer's samples (in the window) are counted as lost
    send(node, T0 + 1500, List.of("t:30|ms", "c:2|c", "g:7|g"));
    mine.set(false);
    ShardSnapshot away = node.tick(T0 + 2000);
    assertThat(away.series()).isEmpty();
    assertThat(away.outgoing()).extracting(d -> d.key().name()).containsExactlyInAnyOrder("c", "g");
    assertThat(stats.dropped(dev.tally.verticles.stats.DropReason.OWNER_CHANGED)).isEqualTo(1);
    // owned again: what was gathered for the owner in between is kept, nothing is shown stale
    send(node, T0 + 2500, List.of("t:40|ms", "c:3|c", "g:+2|g"));
    mine.set(true);
    Map<String, SeriesSnapshot> back = byName(node.tick(T0 + 3000));
    assertThat(back.get("c_total{}").value())
        .isEqualTo(3.0); // restarted: the old owner kept the rest
    // 10, 20, then 30 ms (in this window, never sent to the owner) and 40 ms (gathered for it,
    // kept)
    assertThat(back.get("t_seconds{}").count()).isEqualTo(4.0);
    assertThat(back.get("g{}")).isNotNull();
    assertThat(back.get("g{}").value()).isEqualTo(9.0); // 7, then +2 while away: once
  }

  @Test
  void otlpPointsSplitOverTwoNodesGiveTheOwnerWhatOneNodeFedEveryPointShows() {
    SeriesKey counter = SeriesKey.of(MetricKind.OTLP_COUNTER, "requests_total", List.of());
    SeriesKey histogram = SeriesKey.of(MetricKind.OTLP_HISTOGRAM, "size", List.of("a", "b"));
    SeriesKey exponential = SeriesKey.of(MetricKind.OTLP_EXPONENTIAL_HISTOGRAM, "lat", List.of());
    SeriesKey summary = SeriesKey.of(MetricKind.OTLP_SUMMARY, "rpc", List.of());
    SeriesKey gauge = SeriesKey.of(MetricKind.OTLP_GAUGE, "temp", List.of());
    long[] cumulative = {5, 8, 12, 20, 21, 30};
    for (int tick = 1; tick <= 3; tick++) {
      long now = T0 + tick * 1000 - 500;
      // one SDK's cumulative streams, its exports load-balanced over the two nodes in turn
      for (int k = 2 * tick - 2; k < 2 * tick; k++) {
        long time = (k + 2) * S;
        // the newer point of each tick goes to the other node: only if it is forwarded does the
        // owner reach the stream's value
        for (ShardAggregator node : List.of(k % 2 == 0 ? owner : other, single)) {
          OtlpBatch b = new OtlpBatch();
          b.add(new NumberPoint(counter, "calls", S, time, cumulative[k], false));
          b.add(
              new HistogramPoint(
                  histogram,
                  "",
                  S,
                  time,
                  false,
                  cumulative[k],
                  cumulative[k] * 2.0,
                  new double[] {1, 10},
                  new long[] {1, cumulative[k] - 2, 1}));
          node.accept(b.seal(), now);
        }
      }
      for (ShardAggregator node : List.of(other, single)) {
        OtlpBatch b = new OtlpBatch();
        b.add(
            new ExponentialHistogramPoint(
                exponential,
                "",
                0,
                tick * S,
                true,
                4,
                9.5,
                0,
                1,
                0,
                new long[] {1, 2},
                0,
                new long[] {0}));
        b.add(
            new SummaryPoint(
                summary,
                "",
                0,
                tick * S,
                10L * tick,
                2.5 * tick,
                new double[] {0.5, 0.99},
                new double[] {0.2 * tick, 0.9 * tick}));
        b.add(new NumberPoint(gauge, "", 0, tick * S, 20 + tick, false));
        node.accept(b.seal(), now);
      }
      ShardSnapshot forwarded = other.tick(T0 + tick * 1000);
      assertThat(forwarded.series()).isEmpty();
      assertThat(forwarded.outgoing()).hasSize(5).allMatch(d -> d.points() != null);
      owner.accept(
          overTheWire(new DeltaBatch("other", T0 + tick * 1000, forwarded.outgoing())), now + 1);
      Map<String, SeriesSnapshot> got = byName(owner.tick(T0 + tick * 1000));
      Map<String, SeriesSnapshot> want = byName(single.tick(T0 + tick * 1000));
      assertThat(got.keySet()).isEqualTo(want.keySet()).hasSize(5);
      for (String key : want.keySet()) {
        SeriesSnapshot g = got.get(key);
        SeriesSnapshot w = want.get(key);
        assertThat(g.value()).as(key).isEqualTo(w.value());
        assertThat(g.count()).as(key).isEqualTo(w.count());
        assertThat(g.sum()).as(key).isEqualTo(w.sum());
        assertThat(g.help()).as(key).isEqualTo(w.help());
        for (int i = 0; i < w.bucketCount(); i++) {
          assertThat(g.cumulativeBucketCount(i)).as(key).isEqualTo(w.cumulativeBucketCount(i));
        }
        for (int i = 0; i < w.quantileCount(); i++) {
          assertThat(Double.valueOf(g.quantile(i)))
              .as(key + " q" + i)
              .isEqualTo(Double.valueOf(w.quantile(i)));
        }
      }
      // each node's first point is not counted again: the stream is read as one
      assertThat(got.get("requests_total{}").value()).isEqualTo(cumulative[2 * tick - 1]);
    }
  }

  @Test
  void otlpPointsHeldForAnotherOwnerAreRecordedWhenThisNodeOwnsTheSeriesAgain() {
    java.util.concurrent.atomic.AtomicBoolean mine =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    ShardAggregator node = shard(mine::get);
    SeriesKey gauge = SeriesKey.of(MetricKind.OTLP_GAUGE, "temp", List.of());
    OtlpBatch b = new OtlpBatch();
    b.add(new NumberPoint(gauge, "", 0, S, 7, false));
    node.accept(b.seal(), T0);
    ShardSnapshot away = node.tick(T0 + 1000);
    assertThat(away.series()).isEmpty();
    assertThat(away.outgoing()).hasSize(1);
    assertThat(away.outgoing().get(0).points()).hasSize(1);
    OtlpBatch c = new OtlpBatch();
    c.add(new NumberPoint(gauge, "", 0, 2 * S, 9, false));
    node.accept(c.seal(), T0 + 1500); // held for the owner ...
    mine.set(true); // ... which this node is again at the tick: recorded here
    ShardSnapshot back = node.tick(T0 + 2000);
    assertThat(back.outgoing()).isEmpty();
    assertThat(byName(back).get("temp{}").value()).isEqualTo(9.0);
  }

  @Test
  void anOtlpSeriesMadeForAnotherOwnerShowsNothingHereUntilItRecordsAPoint() {
    PipelineStats stats = new PipelineStats();
    java.util.concurrent.atomic.AtomicBoolean mine =
        new java.util.concurrent.atomic.AtomicBoolean(false);
    ShardAggregator node =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(1000), stats, ownership(mine::get));
    SeriesKey histogram = SeriesKey.of(MetricKind.OTLP_HISTOGRAM, "size", List.of());
    OtlpBatch b = new OtlpBatch();
    b.add(
        new HistogramPoint(
            histogram, "", S, 2 * S, true, 2, 3, new double[] {1}, new long[] {1, 1}));
    node.accept(b.seal(), T0);
    assertThat(node.tick(T0 + 1000).outgoing()).hasSize(1); // held, sent, nothing recorded here
    mine.set(true); // owned now, with no point since
    assertThat(node.tick(T0 + 2000).series()).isEmpty();

    // a point recorded here in the tick its owner changes cannot be sent: counted
    OtlpBatch c = new OtlpBatch();
    c.add(
        new HistogramPoint(
            histogram, "", 2 * S, 3 * S, true, 1, 1, new double[] {1}, new long[] {1, 0}));
    node.accept(c.seal(), T0 + 2500);
    assertThat(byName(node.tick(T0 + 3000)).get("size{}").count()).isEqualTo(1.0);
    node.accept(c.seal(), T0 + 3500);
    mine.set(false);
    assertThat(node.tick(T0 + 4000).series()).isEmpty();
    assertThat(stats.dropped(dev.tally.verticles.stats.DropReason.OWNER_CHANGED)).isEqualTo(1);
  }

  @Test
  void anIntervalBeyondTheSeriesRangeIsClampedAndCounted() {
    PipelineStats stats = new PipelineStats();
    ShardAggregator node =
        new ShardAggregator(0, new AggregatorOptions(), new SeriesLimiter(1000), stats, null);
    SeriesKey timer = SeriesKey.of(MetricKind.TIMER, "t", List.of());
    // a histogram claiming a range no gateway has is refused before it is decoded (a plain
    // Histogram would allocate the whole range)
    org.HdrHistogram.Histogram huge = new org.HdrHistogram.Histogram(1, Long.MAX_VALUE / 4, 3);
    huge.recordValue(5_000);
    assertThatThrownBy(
            () ->
                overTheWire(
                    new DeltaBatch(
                        "other",
                        T0,
                        List.of(SeriesDelta.histogram(timer, null, huge, 1, 5, 5, 5)))))
        .hasMessageContaining("beyond a gateway's range");
    // a distribution's range sent for a timer (another node's settings): clamped at the owner
    org.HdrHistogram.Histogram wide = new org.HdrHistogram.Histogram(1, 1_000_000_000_000L, 2);
    wide.recordValue(5_000);
    wide.recordValue(900_000_000_000L); // beyond a timer's range (an hour, in thousandths of ms)
    node.accept(
        overTheWire(
            new DeltaBatch(
                "other",
                T0,
                List.of(
                    SeriesDelta.histogram(timer, null, wide, 2, 10, 5, 1e15),
                    SeriesDelta.sparseHistogram(
                        SeriesKey.of(MetricKind.TIMER, "u", List.of()),
                        null,
                        new long[] {-7, 5_000},
                        new long[] {1, 1},
                        2,
                        10,
                        5,
                        5)))),
        T0);
    Map<String, SeriesSnapshot> got = byName(node.tick(T0 + 1000));
    assertThat(got.get("t_seconds{}").count()).isEqualTo(2.0);
    assertThat(got.get("u_seconds{}").count()).isEqualTo(2.0);
    assertThat(stats.clamped()).isEqualTo(2);
  }

  private ShardAggregator shard(java.util.function.BooleanSupplier owned) {
    return new ShardAggregator(
        0, new AggregatorOptions(), new SeriesLimiter(1000), new PipelineStats(), ownership(owned));
  }

  /** This node owns every series while {@code owned} says so; the answer is its epoch. */
  static Ownership ownership(java.util.function.BooleanSupplier owned) {
    return new Ownership() {
      @Override
      public Object epoch() {
        return owned.getAsBoolean(); // Boolean.TRUE or FALSE: a new epoch when it flips
      }

      @Override
      public boolean owns(dev.tally.protocol.model.SeriesKey key) {
        return owned.getAsBoolean();
      }
    };
  }

  private void send(ShardAggregator shard, long now, List<String> lines) {
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), now);
  }

  static DeltaBatch overTheWire(DeltaBatch batch) {
    DeltaBatchCodec codec = new DeltaBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, batch);
    return codec.decodeFromWire(0, wire);
  }

  private static Map<String, SeriesSnapshot> byName(ShardSnapshot s) {
    return s.series().stream()
        .collect(Collectors.toMap(x -> x.family() + "{" + x.labels() + "}", Function.identity()));
  }
}
