package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
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

  private static HistogramSeries timer() {
    return new HistogramSeries(
        new SeriesName(SeriesKey.of(MetricKind.TIMER, "t", List.of()), null),
        2,
        new PipelineStats(),
        new java.util.ArrayDeque<>());
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
    SampleBatch batch = new SampleBatch();
    byte[] bytes = lines.toString().getBytes(StandardCharsets.US_ASCII);
    new StatsdLineParser(new StatsdParserOptions()).parse(bytes, 0, bytes.length, batch::add);
    for (int i = 0; i < batch.size(); i++) {
      series.record(batch, i);
    }
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
