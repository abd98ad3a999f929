package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.snapshot.NativeHistogram;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;

class HistogramSeriesTest {
  @Test
  void onePassQuantilesEqualHdrHistogramsGetValueAtPercentile() {
    Random random = new Random(7);
    for (int round = 0; round < 50; round++) {
      HistogramSeries series = timer();
      PackedHistogram reference = new PackedHistogram(1, HistogramSeries.TIMER_HIGHEST, 2);
      record(series, reference, null, random);
      assertQuantiles(series, reference, round);
    }
  }

  @Test
  void theWindowsPartsAreReadTogether() {
    Random random = new Random(11);
    for (int round = 0; round < 50; round++) {
      HistogramSeries series = timer();
      PackedHistogram both = new PackedHistogram(1, HistogramSeries.TIMER_HIGHEST, 2);
      PackedHistogram second = new PackedHistogram(1, HistogramSeries.TIMER_HIGHEST, 2);
      record(series, both, null, random);
      series.rotate(); // the part that takes samples changes; the first part's are still read
      record(series, both, second, random);
      assertQuantiles(series, both, round);
      series.rotate(); // the first part is reset: only the second part's samples are left
      assertQuantiles(series, second, round);
    }
  }

  @Test
  void bucketsCountEverySampleAtMostTheirBoundSinceTheSeriesBegan() {
    Random random = new Random(13);
    HistogramSeries series = timer(new HistogramLayout(ObserverType.HISTOGRAM, BOUNDS, false));
    long[] expected = new long[BOUNDS.length];
    long total = 0;
    for (int round = 0; round < 5; round++) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        long ms = Math.max(1, Math.round(30 * Math.exp(1.5 * random.nextGaussian())));
        lines.append("t:").append(ms).append("|ms\n");
        for (int b = 0; b < BOUNDS.length; b++) {
          expected[b] += ms <= BOUNDS[b] * 1000 ? 1 : 0;
        }
        total++;
      }
      record(series, lines.toString());
      series.rotate(); // the window forgets; the buckets do not
      series.rotate();
    }
    SeriesSnapshot s = series.tick(0, 1);
    assertThat(s.observer()).isEqualTo(ObserverType.HISTOGRAM);
    assertThat(s.bucketCount()).isEqualTo(BOUNDS.length);
    for (int b = 0; b < BOUNDS.length; b++) {
      assertThat(s.bucketBound(b)).isEqualTo(BOUNDS[b]);
      assertThat(s.cumulativeBucketCount(b)).as("le=%s", BOUNDS[b]).isEqualTo(expected[b]);
    }
    assertThat(expected[0]).isPositive();
    assertThat(expected[BOUNDS.length - 1]).isLessThan(total);
    assertThat(s.count()).isEqualTo(total);
  }

  @Test
  void bucketsWeighSamplesByTheirRate() {
    HistogramSeries series = timer(new HistogramLayout(ObserverType.BOTH, BOUNDS, false));
    record(series, "t:5|ms|@0.25\nt:5|ms\nt:40|ms|@0.5\nt:20000|ms\n");
    SeriesSnapshot s = series.tick(0, 1);
    assertThat(s.observer()).isEqualTo(ObserverType.BOTH);
    // bounds 0.005, 0.01, 0.05, 0.1, 1 s: 5 ms is at most 0.005 s
    assertThat(new double[] {s.cumulativeBucketCount(0), s.cumulativeBucketCount(2)})
        .containsExactly(5, 7);
    assertThat(s.cumulativeBucketCount(4)).isEqualTo(7); // 20 s is only in +Inf
    assertThat(s.count()).isEqualTo(8);
  }

  @Test
  void nativeBucketsHoldEachSampleInTheBucketOfItsValueInSeconds() {
    HistogramSeries series = timer(new HistogramLayout(ObserverType.SUMMARY, BOUNDS, true));
    record(series, "t:0|ms\nt:1|ms\nt:1000|ms\nt:1000|ms\nt:3|ms|@0.5\n");
    SeriesSnapshot s = series.tick(0, 1);
    assertThat(s.observer()).isEqualTo(ObserverType.SUMMARY);
    assertThat(s.bucketCount()).isZero();
    NativeHistogram h = s.nativeHistogram();
    assertThat(h.zeroCount()).isEqualTo(1);
    assertThat(h.count()).isEqualTo(6);
    // 1 s is the upper bound of bucket 0 at every schema; 1 ms and 3 ms lie in the buckets whose
    // bounds enclose them
    long inBucketZero = 0;
    for (int i = 0; i < h.positive().length; i++) {
      int index = h.positiveFirst() + i;
      if (h.positive()[i] > 0 && index != 0) {
        double upper = h.upperBound(index);
        double lower = h.upperBound(index - 1);
        assertThat(lower < 0.001 && 0.001 <= upper || lower < 0.003 && 0.003 <= upper)
            .as("bucket %d (%s, %s]", index, lower, upper)
            .isTrue();
      }
      inBucketZero += index == 0 ? h.positive()[i] : 0;
    }
    assertThat(inBucketZero).isEqualTo(2);
  }

  private static final double[] BOUNDS = {0.005, 0.01, 0.05, 0.1, 1};

  private static HistogramSeries timer() {
    return timer(HistogramLayout.SUMMARY);
  }

  private static HistogramSeries timer(HistogramLayout layout) {
    return new HistogramSeries(
        new SeriesName(SeriesKey.of(MetricKind.TIMER, "t", List.of()), null),
        2,
        layout,
        new PipelineStats(),
        new java.util.ArrayDeque<>());
  }

  private static void record(HistogramSeries series, String lines) {
    SampleBatch batch = new SampleBatch();
    byte[] bytes = lines.getBytes(StandardCharsets.US_ASCII);
    new StatsdLineParser(new StatsdParserOptions()).parse(bytes, 0, bytes.length, batch::add);
    for (int i = 0; i < batch.size(); i++) {
      series.record(batch, i);
    }
  }

  /**
   * Records 1 to 500 log-normal durations into {@code series}, and into {@code a} and {@code b}.
   */
  private static void record(
      HistogramSeries series, PackedHistogram a, PackedHistogram b, Random random) {
    StringBuilder lines = new StringBuilder();
    int n = 1 + random.nextInt(500);
    for (int i = 0; i < n; i++) {
      long ms = Math.max(1, Math.round(100 * Math.exp(1.5 * random.nextGaussian())));
      lines.append("t:").append(ms).append("|ms\n");
      a.recordValue(ms * 1000);
      if (b != null) {
        b.recordValue(ms * 1000);
      }
    }
    record(series, lines.toString());
  }

  private static void assertQuantiles(
      HistogramSeries series, PackedHistogram reference, int round) {
    series.computeQuantiles();
    SeriesSnapshot s = series.tick(0, 1);
    for (int q = 0; q < SeriesSnapshot.QUANTILES.size(); q++) {
      double expected =
          reference.getValueAtPercentile(SeriesSnapshot.QUANTILES.get(q) * 100) / 1000.0;
      assertThat(s.quantile(q))
          .as("round %d quantile %s", round, SeriesSnapshot.QUANTILES.get(q))
          .isEqualTo(expected);
    }
  }
}
