package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.ReservedNames;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShardAggregatorTest {
  private static final long T0 = 1_700_000_000_000L;

  private final PipelineStats stats = new PipelineStats();
  private final StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
  private SeriesLimiter limiter = new SeriesLimiter(1000);
  private ShardAggregator aggregator =
      new ShardAggregator(0, new AggregatorOptions(), limiter, stats);

  private void send(long now, String... lines) {
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, batch::add);
    aggregator.accept(batch.seal(), now);
  }

  private SampleBatch batch(byte[] line) {
    SampleBatch batch = new SampleBatch();
    parser.parse(line, 0, line.length, batch::add);
    return batch.seal();
  }

  private Map<String, SeriesSnapshot> tick(long at) {
    return aggregator.tick(at).series().stream()
        .collect(Collectors.toMap(s -> s.family() + "{" + s.labels() + "}", Function.identity()));
  }

  @Test
  void sampleRateScalesCounterAndTotalIsCumulative() {
    send(T0, "api.requests:1|c|@0.1|#env:prod", "api.requests:2|c|#env:prod");
    assertThat(tick(T0 + 1000).get("api_requests_total{env=\"prod\"}").value()).isEqualTo(12.0);
    send(T0 + 1500, "api.requests:3|c|#env:prod");
    SeriesSnapshot s = tick(T0 + 2000).get("api_requests_total{env=\"prod\"}");
    assertThat(s.value()).isEqualTo(15.0);
    assertThat(s.rate()).isEqualTo(3.0);
  }

  @Test
  void aSampleThatWouldOverflowItsSeriesIsRefusedAndTheSeriesGoesOn() {
    send(T0, "big:1.7e308|c", "big:1.7e308|c", "g:1.7e308|g", "g:+1.7e308|g", "g:-1|g");
    send(T0, "t:1e308|ms", "t:1e308|ms", "t:5|ms");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(s.get("big_total{}").value()).isEqualTo(1.7e308);
    assertThat(s.get("g{}").value()).isEqualTo(1.7e308 - 1);
    SeriesSnapshot t = s.get("t_seconds{}");
    assertThat(t.count()).isEqualTo(2.0);
    assertThat(t.sum()).isFinite();
    assertThat(stats.dropped(DropReason.OVERFLOW)).isEqualTo(3);
    send(T0 + 1000, "big:1|c");
    assertThat(tick(T0 + 2000).get("big_total{}").value()).isEqualTo(1.7e308);
  }

  @Test
  void aSeriesThatFailsItsTickIsRemovedAndCountedAndTheOthersTickOn() {
    send(T0, "before:1|c");
    aggregator.adopt(
        new Series(new SeriesName(SeriesKey.of(MetricKind.GAUGE, "broken", List.of()), null)) {
          {
            lastSeenMillis = T0;
          }

          @Override
          SeriesSnapshot tick(long tickMillis, double tickSeconds) {
            throw new IllegalStateException("a bug in one series");
          }
        });
    send(T0, "after:1|c");
    Map<String, SeriesSnapshot> first = tick(T0 + 1000);
    assertThat(first).containsKeys("before_total{}", "after_total{}").doesNotContainKey("broken{}");
    assertThat(stats.tickFailures()).isEqualTo(1);
    send(T0 + 1000, "before:1|c");
    assertThat(tick(T0 + 2000).get("before_total{}").value()).isEqualTo(2.0);
    assertThat(stats.tickFailures()).as("the broken series is gone").isEqualTo(1);
  }

  @Test
  void seriesNamedAsTallysOwnAreRefusedAndCounted() {
    limiter.reserve(
        ReservedNames.ofPage(
            "# TYPE jvm_threads_live_threads gauge\njvm_threads_live_threads 42\n"));
    send(
        T0,
        "tally_series_active:5|g",
        "tally.x:1|c",
        "jvm_threads_live_threads:1|g",
        "target_info:1|g",
        "ALERTS:1|g",
        "ALERTS:1|g",
        "fine:1|g");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(s).containsOnlyKeys("fine{}");
    assertThat(stats.dropped(DropReason.RESERVED_NAME)).isEqualTo(6);
  }

  @Test
  void aSeriesRemembersAtMostSixteenSpellingsAndCountsTheRest() {
    String separators = ".-!$%^&*()=+~;'<>?/[]{}";
    String[] lines = new String[20];
    for (int i = 0; i < lines.length; i++) {
      lines[i] = "x" + separators.charAt(i) + "y:1|c"; // 20 spellings of x_y_total
    }
    send(T0, lines);
    send(T0, lines);
    assertThat(tick(T0 + 1000).get("x_y_total{}").value()).isEqualTo(40.0);
    assertThat(stats.aliasesRefused()).as("4 spellings, twice").isEqualTo(8);
  }

  @Test
  void gaugeTakesLastValueAndSignedAdjustments() {
    send(T0, "temp:5|g", "temp:+2|g", "temp:-1|g");
    assertThat(tick(T0 + 1000).get("temp{}").value()).isEqualTo(6.0);
    send(T0 + 1000, "temp:3|g");
    assertThat(tick(T0 + 2000).get("temp{}").value()).isEqualTo(3.0);
  }

  @Test
  void setCountsDistinctMembersPerTick() {
    send(T0, "users:alice|s", "users:bob|s", "users:alice|s");
    assertThat(tick(T0 + 1000).get("users{}").value()).isEqualTo(2.0);
    send(T0 + 1000, "users:carol|s");
    assertThat(tick(T0 + 2000).get("users{}").value()).isEqualTo(1.0);
    assertThat(tick(T0 + 3000).get("users{}").value()).isEqualTo(0.0);
  }

  @Test
  void timerPercentilesOfAKnownDistributionAreWithinOnePercent() {
    String[] lines = new String[1000];
    for (int i = 0; i < 1000; i++) {
      lines[i] = "lat:" + (i + 1) + "|ms";
    }
    send(T0, lines);
    SeriesSnapshot s = tick(T0 + 1000).get("lat_seconds{}");
    assertThat(s.count()).isEqualTo(1000.0);
    assertThat(s.sum()).isEqualTo(500_500.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(1000.0);
    assertThat(s.quantile(0)).isCloseTo(500.0, withPercentage(1));
    assertThat(s.quantile(3)).isCloseTo(990.0, withPercentage(1));
    assertThat(s.quantile(4)).isCloseTo(999.0, withPercentage(1));
  }

  @Test
  void timerSampleRateWeightsCount() {
    send(T0, "lat:10|ms|@0.5");
    SeriesSnapshot s = tick(T0 + 1000).get("lat_seconds{}");
    assertThat(s.count()).isEqualTo(2.0);
    assertThat(s.sum()).isEqualTo(20.0);
  }

  @Test
  void windowForgetsOldSamples() {
    send(T0, "lat:100|ms");
    assertThat(tick(T0 + 1000).get("lat_seconds{}").quantile(0))
        .isCloseTo(100.0, withPercentage(1));
    long t = T0 + 1000;
    long part = AggregatorOptions.DEFAULT_WINDOW_MILLIS / HistogramSeries.PARTS;
    for (int i = 0;
        i <= HistogramSeries.PARTS;
        i++) { // every part has been reset: the window has passed
      t += part;
      send(t - 1, "lat:5|ms");
      tick(t);
    }
    send(t + 1, "lat:5|ms");
    assertThat(tick(t + 1000).get("lat_seconds{}").quantile(4)).isCloseTo(5.0, withPercentage(1));
  }

  @Test
  void outOfRangeValuesAreClampedAndCounted() {
    send(T0, "d:-5|d", "t:99999999999|ms");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(stats.clamped()).isEqualTo(2);
    assertThat(s.get("d{}").quantile(0)).isEqualTo(0.0);
    assertThat(s.get("d{}").min()).isEqualTo(-5.0);
    assertThat(s.get("t_seconds{}").quantile(0)).isCloseTo(3_600_000.0, withPercentage(1));
  }

  @Test
  void tagOrderAndNameSpellingMakeOneSeries() {
    send(T0, "a.b:1|c|#x:1,y:2", "a_b:1|c|#y:2,x:1");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(s).hasSize(1);
    assertThat(s.get("a_b_total{x=\"1\",y=\"2\"}").value()).isEqualTo(2.0);
  }

  @Test
  void seriesBeyondTheLimitGoToTheOverflowSeries() {
    limiter = new SeriesLimiter(2);
    aggregator = new ShardAggregator(0, new AggregatorOptions(), limiter, stats);
    send(T0, "c:1|c|#id:1", "c:1|c|#id:2", "c:1|c|#id:3", "c:1|c|#id:4");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(s.get("c_total{otel_metric_overflow=\"true\"}").value()).isEqualTo(2.0);
    assertThat(s).hasSize(3);
    assertThat(stats.overflow()).isEqualTo(2);
    assertThat(stats.seriesActive().get()).isEqualTo(3);
  }

  @Test
  void aMetricBeyondItsOwnLimitOverflowsWhileOthersStillGetSeries() {
    limiter = new SeriesLimiter(100, 2);
    aggregator = new ShardAggregator(0, new AggregatorOptions(), limiter, stats);
    send(T0, "hot:1|c|#id:1", "hot:1|c|#id:2", "hot:1|c|#id:3", "hot:5|c|#id:4", "calm:1|c|#id:1");
    send(T0, "calm:1|c|#id:2");
    Map<String, SeriesSnapshot> s = tick(T0 + 1000);
    assertThat(s)
        .containsOnlyKeys(
            "hot_total{id=\"1\"}",
            "hot_total{id=\"2\"}",
            "hot_total{otel_metric_overflow=\"true\"}",
            "calm_total{id=\"1\"}",
            "calm_total{id=\"2\"}");
    assertThat(s.get("hot_total{otel_metric_overflow=\"true\"}").value()).isEqualTo(6.0);
    assertThat(stats.overflow()).isEqualTo(2);
    assertThat(limiter.top(10))
        .containsExactly(java.util.Map.entry("calm", 2), java.util.Map.entry("hot", 2));

    limiter.setLimits(100, 3); // a reload raises the limit: the next new series fits
    send(T0 + 1000, "hot:1|c|#id:5");
    assertThat(tick(T0 + 2000)).containsKey("hot_total{id=\"5\"}");
    assertThat(limiter.used()).isEqualTo(5);
  }

  @Test
  void idleSeriesExpireAndFreeTheirPlace() {
    limiter = new SeriesLimiter(1);
    aggregator =
        new ShardAggregator(0, new AggregatorOptions().setSeriesTtlMillis(5000), limiter, stats);
    send(T0, "old:1|c");
    assertThat(tick(T0 + 1000)).containsKey("old_total{}");
    assertThat(tick(T0 + 6000)).isEmpty();
    assertThat(stats.seriesActive().get()).isZero();
    send(T0 + 6000, "new:1|c");
    assertThat(tick(T0 + 7000)).containsOnlyKeys("new_total{}");
    assertThat(stats.dropped(DropReason.SERIES_LIMIT)).isZero();
  }

  @Test
  void seriesNamedByTwoSpellingsThatHashApartLeavesWhollyWhenIdle() {
    aggregator =
        new ShardAggregator(0, new AggregatorOptions().setSeriesTtlMillis(5000), limiter, stats);
    // invalid UTF-8: two byte values that both decode to U+FFFD, one canonical key, two hashes
    byte[] ff = "x:1|c|#v:\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    byte[] fe = "x:1|c|#v:\u00fe".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(batch(ff).hash(0)).isNotEqualTo(batch(fe).hash(0));
    String key = "x_total{v=\"\ufffd\"}";
    aggregator.accept(batch(ff), T0);
    aggregator.accept(batch(fe), T0);
    assertThat(tick(T0 + 1000)).containsOnlyKeys(key);
    assertThat(tick(T0 + 7000)).isEmpty();
    aggregator.accept(batch(ff), T0 + 7000);
    assertThat(tick(T0 + 8000).get(key).value()).isEqualTo(1.0);
  }

  @Test
  void unchangedSeriesKeepTheirSnapshotInstance() {
    send(T0, "g:1|g");
    SeriesSnapshot first = tick(T0 + 1000).get("g{}");
    assertThat(tick(T0 + 2000).get("g{}")).isSameAs(first);
    assertThat(first.tickMillis()).isEqualTo(T0 + 1000);
    assertThat(first.value()).isCloseTo(1.0, within(0.0));
  }
}
