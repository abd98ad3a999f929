package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.ExponentialHistogramPoint;
import dev.tally.protocol.otlp.HistogramPoint;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.SummaryPoint;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PipelineStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OTLP points through a shard: cumulative and delta points, resets, stale points, buckets. */
class OtlpSeriesTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long S = 1_000_000_000L; // one second in nanoseconds

  private final PipelineStats stats = new PipelineStats();
  private final ShardAggregator aggregator =
      new ShardAggregator(0, new AggregatorOptions(), new SeriesLimiter(1000), stats);
  private long now = T0;

  private SeriesSnapshot send(OtlpPoint... points) {
    OtlpBatch batch = new OtlpBatch();
    for (OtlpPoint p : points) {
      batch.add(p);
    }
    aggregator.accept(batch.seal(), now);
    now += 1000;
    return aggregator.tick(now).series().get(0);
  }

  private static SeriesKey key(MetricKind kind) {
    return SeriesKey.of(kind, "x", List.of());
  }

  private static NumberPoint counter(long start, long time, double value, boolean delta) {
    return new NumberPoint(key(MetricKind.OTLP_COUNTER), "", start, time, value, delta);
  }

  @Test
  void cumulativeCounterAddsIncreasesAndTreatsAMovedStartOrALowerValueAsAReset() {
    assertThat(send(counter(S, 2 * S, 5, false)).value()).isEqualTo(5);
    assertThat(send(counter(S, 3 * S, 8, false)).value()).isEqualTo(8);
    SeriesSnapshot restarted = send(counter(10 * S, 11 * S, 3, false)); // new start: from 0
    assertThat(restarted.value()).isEqualTo(11);
    assertThat(restarted.rate()).isEqualTo(3);
    assertThat(send(counter(10 * S, 12 * S, 1, false)).value()).isEqualTo(12); // lower: reset
    assertThat(send(counter(10 * S, 13 * S, 4, false)).value()).isEqualTo(15);
  }

  @Test
  void pointsThatWouldOverflowTheirSeriesAreRefusedAndCounted() {
    assertThat(send(counter(S, 2 * S, 1.7e308, true)).value()).isEqualTo(1.7e308);
    assertThat(send(counter(S, 3 * S, 1.7e308, true)).value()).isEqualTo(1.7e308);
    SeriesKey g = key(MetricKind.OTLP_GAUGE);
    send(new NumberPoint(g, "", 0, S, 1.7e308, true));
    send(new NumberPoint(g, "", 0, 2 * S, 1.7e308, true));
    assertThat(stats.dropped(DropReason.OVERFLOW)).isEqualTo(2);
    assertThat(aggregator.tick(now).series()).allSatisfy(s -> assertThat(s.value()).isFinite());
  }

  @Test
  void repeatedAndOlderCumulativePointsAreIgnored() {
    send(counter(S, 2 * S, 5, false));
    assertThat(send(counter(S, 2 * S, 5, false)).value()).isEqualTo(5); // a retried request
    assertThat(send(counter(S, S + 1, 4, false)).value()).isEqualTo(5); // older than the last
    assertThat(send(counter(0, 3 * S, 9, false)).value()).isEqualTo(5); // before the run began
    assertThat(stats.dropped(dev.tally.verticles.stats.DropReason.STALE)).isEqualTo(3);
  }

  @Test
  void aGaugePointOlderThanTheOneShownIsIgnored() {
    SeriesKey k = key(MetricKind.OTLP_GAUGE);
    send(new NumberPoint(k, "", 0, 20 * S, 5, false));
    assertThat(send(new NumberPoint(k, "", 0, 10 * S, 3, false)).value()).isEqualTo(5);
    assertThat(send(new NumberPoint(k, "", 0, 30 * S, 7, false)).value()).isEqualTo(7);
    assertThat(stats.dropped(dev.tally.verticles.stats.DropReason.STALE)).isEqualTo(1);
  }

  @Test
  void theFirstPointOfALongRunningExponentialStreamCountsButStaysOutOfTheWindow() {
    long day = 86_400 * S;
    send(exponential(S, S + day, 0, 1, 100)); // a day of history: 100 values in (2, 4]
    send(exponential(S, S + day + S, 0, 1, 100, 0, 0, 0, 10)); // 10 new values in (32, 64]
    aggregator.tick(now);
    SeriesSnapshot s = aggregator.tick(now + 1000).series().get(0);
    assertThat(s.count()).isEqualTo(110);
    assertThat(s.quantile(0)).isCloseTo(Math.sqrt(2) * 32, withPercentage(1)); // only the new
  }

  @Test
  void deltaCounterPointsAccumulate() {
    send(counter(S, 2 * S, 2, true));
    assertThat(send(counter(2 * S, 3 * S, 3, true)).value()).isEqualTo(5);
  }

  @Test
  void deltaUpDownPointsAdjustTheGaugeAndCumulativeOnesSetIt() {
    SeriesKey k = key(MetricKind.OTLP_GAUGE);
    send(new NumberPoint(k, "", 0, S, 10, true));
    assertThat(send(new NumberPoint(k, "", 0, 2 * S, -4, true)).value()).isEqualTo(6);
    assertThat(send(new NumberPoint(k, "", 0, 3 * S, 2, false)).value()).isEqualTo(2);
  }

  private static HistogramPoint histogram(long start, long time, boolean delta, long... counts) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    return new HistogramPoint(
        key(MetricKind.OTLP_HISTOGRAM),
        "",
        start,
        time,
        delta,
        count,
        count * 1.5,
        new double[] {1, 2},
        counts);
  }

  @Test
  void histogramBucketsAreCumulativeOverBucketsAndOverTime() {
    SeriesSnapshot s = send(histogram(S, 2 * S, false, 1, 2, 3));
    assertThat(new double[] {s.cumulativeBucketCount(0), s.cumulativeBucketCount(1)})
        .containsExactly(1, 3);
    assertThat(s.count()).isEqualTo(6);
    s = send(histogram(S, 3 * S, false, 2, 2, 4)); // +1, +0, +1
    assertThat(new double[] {s.cumulativeBucketCount(0), s.cumulativeBucketCount(1)})
        .containsExactly(2, 4);
    assertThat(s.count()).isEqualTo(8);
    assertThat(s.sum()).isEqualTo(12);
    s = send(histogram(5 * S, 6 * S, false, 1, 0, 0)); // restarted: added whole
    assertThat(s.cumulativeBucketCount(0)).isEqualTo(3);
    assertThat(s.count()).isEqualTo(9);
    s = send(histogram(6 * S, 7 * S, true, 0, 1, 0)); // a delta point adds
    assertThat(s.cumulativeBucketCount(1)).isEqualTo(6); // buckets 3, 3, 4
  }

  /**
   * The live feed's quantiles of an explicit-bucket histogram: those of the latest tick's increase,
   * interpolated in its buckets as histogram_quantile does, held over ticks without observations.
   */
  @Test
  void histogramQuantilesAreThoseOfTheLatestIncreaseInterpolatedInItsBuckets() {
    // bounds 1, 2: 4 at most 1, 4 in (1, 2], 2 above
    SeriesSnapshot s = send(histogram(S, 2 * S, false, 4, 4, 2));
    assertThat(s.quantileAt(0.5)).isEqualTo(1.25); // rank 5: the first of (1, 2]'s 4
    assertThat(s.quantileAt(0.9)).isEqualTo(2); // rank 9: above 2, the highest bound
    assertThat(s.quantileAt(0.99)).isEqualTo(2);
    assertThat(send(histogram(S, 3 * S, false, 4, 4, 2)).quantileAt(0.5))
        .as("no observations this tick: the last ones' quantiles hold")
        .isEqualTo(1.25);
    s = send(histogram(S, 4 * S, false, 14, 4, 2)); // +10 at most 1
    assertThat(s.quantileAt(0.5)).isEqualTo(0.5); // rank 5 of 10 in (0, 1]
    assertThat(s.quantileAt(0.99)).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(s.count()).isEqualTo(20);
    for (int i = 0; i < 59; i++) {
      s = aggregator.tick(now += 1000).series().get(0);
    }
    assertThat(s.quantileAt(0.5)).as("held for less than the window (60 s)").isEqualTo(0.5);
    s = aggregator.tick(now += 1000).series().get(0);
    assertThat(s.quantileAt(0.5)).as("nothing observed for the window").isNaN();
  }

  @Test
  void theFirstPointOfALongRunningHistogramStreamCountsButHasNoQuantiles() {
    // began 10 minutes before it was first seen: its counts are history, not the latest interval
    SeriesSnapshot s = send(histogram(S, 600 * S, false, 4, 4, 2));
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.quantileAt(0.5)).isNaN();
    assertThat(s.rate()).isZero();
    s = send(histogram(S, 601 * S, false, 5, 4, 2)); // +1 at most 1
    assertThat(s.quantileAt(0.5)).isEqualTo(0.5);
  }

  @Test
  void histogramPointsWhoseSumsWouldOverflowTheSeriesAreRefusedAndCounted() {
    SeriesKey bucketKey = key(MetricKind.OTLP_HISTOGRAM);
    double[] bounds = {1, 2};
    HistogramPoint big =
        new HistogramPoint(bucketKey, "", 0, S, true, 1, 1.7e308, bounds, new long[] {0, 0, 1});
    send(big);
    SeriesSnapshot s = send(big); // the sum would be +Inf
    assertThat(s.sum()).isEqualTo(1.7e308);
    assertThat(s.count()).isEqualTo(1);
    s = send(new HistogramPoint(bucketKey, "", 0, S, true, 1, 0.5, bounds, new long[] {1, 0, 0}));
    assertThat(s.sum()).isEqualTo(1.7e308 + 0.5);
    assertThat(s.count()).isEqualTo(2);

    SeriesKey expKey = SeriesKey.of(MetricKind.OTLP_EXPONENTIAL_HISTOGRAM, "e", List.of());
    ExponentialHistogramPoint huge =
        new ExponentialHistogramPoint(
            expKey, "", 0, S, true, 1, -1.7e308, 0, 0, 1, new long[] {1}, 0, new long[0]);
    OtlpBatch batch = new OtlpBatch();
    batch.add(huge);
    batch.add(huge);
    aggregator.accept(batch.seal(), now);
    SeriesSnapshot e =
        aggregator.tick(now += 1000).series().stream()
            .filter(x -> x.key().equals(expKey))
            .findFirst()
            .orElseThrow();
    assertThat(e.sum()).isEqualTo(-1.7e308);
    assertThat(e.count()).isEqualTo(1);
    assertThat(stats.dropped(DropReason.OVERFLOW)).isEqualTo(2);
  }

  @Test
  void histogramWithOtherBoundsStartsAgain() {
    send(histogram(S, 2 * S, true, 1, 2, 3));
    HistogramPoint other =
        new HistogramPoint(
            key(MetricKind.OTLP_HISTOGRAM),
            "",
            S,
            3 * S,
            true,
            1,
            5,
            new double[] {10},
            new long[] {1, 0});
    SeriesSnapshot s = send(other);
    assertThat(s.bucketCount()).isEqualTo(1);
    assertThat(s.bucketBound(0)).isEqualTo(10);
    assertThat(s.cumulativeBucketCount(0)).isEqualTo(1);
    assertThat(s.count()).isEqualTo(1);
  }

  private static ExponentialHistogramPoint exponential(
      long start, long time, int scale, int offset, long... counts) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    return new ExponentialHistogramPoint(
        key(MetricKind.OTLP_EXPONENTIAL_HISTOGRAM),
        "",
        start,
        time,
        false,
        count,
        count,
        scale,
        0,
        offset,
        counts,
        0,
        new long[0]);
  }

  @Test
  void cumulativeExponentialHistogramRecordsIncreasesAcrossADownscale() {
    // scale 1: buckets of width sqrt(2); index 2 = (2, 2.83], index 3 = (2.83, 4]
    send(exponential(S, 2 * S, 1, 2, 10, 0));
    // downscaled to 0: index 1 = (2, 4] holds the 10 old values and 90 new ones; index 5 = (32, 64]
    SeriesSnapshot s = send(exponential(S, 3 * S, 0, 1, 100, 0, 0, 0, 900));
    aggregator.tick(now); // percentiles are computed at the tick after the points
    s = aggregator.tick(now + 1000).series().get(0);
    assertThat(s.count()).isEqualTo(1000);
    assertThat(s.quantile(0)).isCloseTo(Math.sqrt(2) * 32, withPercentage(1)); // p50 in (32, 64]
    assertThat(ExponentialHistogramSeries.increase(new long[] {5}, 1, new long[] {3, 1}, 2, 1))
        .containsExactly(1);
    assertThat(ExponentialHistogramSeries.increase(new long[] {5}, 1, new long[] {6}, 2, 1))
        .isNull(); // a count went down: a reset
    assertThat(ExponentialHistogramSeries.increase(new long[] {5}, 1, new long[] {1}, 2, -1))
        .isNull(); // upscaled: cannot be split, a reset
  }

  @Test
  void summaryShowsTheLastPointAsSent() {
    SummaryPoint p =
        new SummaryPoint(
            key(MetricKind.OTLP_SUMMARY),
            "help",
            0,
            S,
            10,
            2.5,
            new double[] {0.5, 0.99},
            new double[] {0.2, 0.9});
    SeriesSnapshot s = send(p);
    assertThat(s.quantileCount()).isEqualTo(2);
    assertThat(s.quantileLevel(1)).isEqualTo(0.99);
    assertThat(s.quantile(1)).isEqualTo(0.9);
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.help()).isEqualTo("help");
  }

  @Test
  void beyondTheLimitDeltaPointsOverflowAndCumulativeOnesAreDroppedAndCounted() {
    ShardAggregator small =
        new ShardAggregator(0, new AggregatorOptions(), new SeriesLimiter(1), stats);
    OtlpBatch batch = new OtlpBatch();
    batch.add(
        new NumberPoint(
            SeriesKey.of(MetricKind.OTLP_COUNTER, "a", List.of()), "", S, 2 * S, 1, false));
    batch.add(
        new NumberPoint(
            SeriesKey.of(MetricKind.OTLP_COUNTER, "b", List.of()), "", S, 2 * S, 1, false));
    batch.add(
        new NumberPoint(
            SeriesKey.of(MetricKind.OTLP_COUNTER, "c", List.of()), "", S, 2 * S, 4, true));
    small.accept(batch.seal(), now);
    List<SeriesSnapshot> series = small.tick(now + 1000).series();
    assertThat(series)
        .extracting(s -> s.key().toString())
        .containsExactlyInAnyOrder("a{}", "c{otel_metric_overflow=\"true\"}");
    assertThat(stats.dropped(dev.tally.verticles.stats.DropReason.SERIES_LIMIT)).isEqualTo(1);
    assertThat(stats.overflow()).isEqualTo(1);
  }
}
