package dev.tally.verticles.aggregate;

import org.HdrHistogram.DoubleHistogramIterationValue;
import org.HdrHistogram.PackedDoubleHistogram;

/**
 * A sliding window of floating-point values for quantiles, as Micrometer's {@code
 * TimeWindowPercentileHistogram} builds it: {@link HistogramSeries#PARTS} auto-ranging {@link
 * PackedDoubleHistogram}s each take every value, {@link #rotate()} resets the one that has run
 * longest, and quantiles come from the one that has run longest. ({@link HistogramSeries} records a
 * value once and merges its parts' buckets when it reads them; these parts range themselves on what
 * they were given, so their buckets need not line up.) Values need no unit scaling: the histograms
 * keep their relative precision from the smallest to the largest value recorded. Confined to its
 * shard's event loop.
 */
final class DoubleWindow {
  private final PackedDoubleHistogram[] parts = new PackedDoubleHistogram[HistogramSeries.PARTS];
  private int oldest;

  DoubleWindow(int digits) {
    for (int i = 0; i < parts.length; i++) {
      parts[i] = new PackedDoubleHistogram(digits);
    }
  }

  /**
   * Records {@code count} values of {@code value} (at least 0); false if the value is outside what
   * the histograms can cover beside the values they hold (a dynamic range above about 2^50), in
   * which case it is not recorded.
   */
  boolean record(double value, long count) {
    try {
      for (PackedDoubleHistogram part : parts) {
        part.recordValueWithCount(value, count);
      }
      return true;
    } catch (ArrayIndexOutOfBoundsException e) {
      // HdrHistogram's way to say "outside the covered range" (STYLE rule 11): the caller counts it
      return false;
    }
  }

  void rotate() {
    parts[oldest].reset();
    oldest = (oldest + 1) % parts.length;
  }

  /**
   * The values at {@code levels} (ascending fractions) over the window, each the highest value
   * equivalent to the first bucket whose cumulative count reaches {@code ceil(level * total)}, in
   * one pass; null if the window is empty.
   */
  double[] quantiles(double[] levels) {
    PackedDoubleHistogram h = parts[oldest];
    long total = h.getTotalCount();
    if (total == 0) {
      return null;
    }
    int n = levels.length;
    double[] q = new double[n];
    long[] targets = new long[n];
    for (int i = 0; i < n; i++) {
      targets[i] = Math.max(1, (long) Math.ceil(levels[i] * total));
    }
    int next = 0;
    long cumulative = 0;
    for (DoubleHistogramIterationValue v : h.recordedValues()) {
      cumulative += v.getCountAddedInThisIterationStep();
      while (next < n && cumulative >= targets[next]) {
        q[next++] = h.highestEquivalentValue(v.getValueIteratedTo());
      }
      if (next == n) {
        break;
      }
    }
    return q;
  }
}
