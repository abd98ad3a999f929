package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.ExponentialHistogramPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PipelineStats;
import java.util.Queue;

/**
 * An OTLP ExponentialHistogram, recorded into a {@link DoubleWindow} and exposed as a summary: each
 * bucket's new observations are recorded at the bucket's geometric middle, so a quantile is within
 * the bucket's relative width (plus the HdrHistogram's precision) of the true value. Count and sum
 * are exact and cumulative. Delta points are recorded as they are; cumulative points by their
 * increase over the previous point, mapped to the new scale when the source has downscaled, or
 * whole after a reset. Negative values are recorded as 0 and counted as clamped.
 *
 * <p>The points' buckets also add up, exactly, into {@link ExponentialBuckets}: the native
 * histogram shown to scrapers that ask for the protobuf format (scales above 8 merged down to 8). A
 * point of a scale below -4, which Prometheus cannot take, ends the native histogram of the series.
 */
final class ExponentialHistogramSeries extends Series {
  private final DoubleWindow window;
  private final long windowNanos;
  private final PipelineStats stats;
  private final Queue<Series> staleQueue;
  private final CumulativeStream stream = new CumulativeStream();
  private ExponentialHistogramPoint last;
  private long count;
  private double sum;
  private double[] quantiles;
  private boolean changed = true;

  /** Null once a point could not be added (its scale is below what Prometheus takes). */
  private ExponentialBuckets nativeBuckets = new ExponentialBuckets();

  ExponentialHistogramSeries(
      SeriesName name,
      int digits,
      long windowMillis,
      PipelineStats stats,
      Queue<Series> staleQueue) {
    super(name);
    this.window = new DoubleWindow(digits);
    this.windowNanos = windowMillis * 1_000_000;
    this.stats = stats;
    this.staleQueue = staleQueue;
  }

  @Override
  DropReason record(OtlpPoint point) {
    ExponentialHistogramPoint p = (ExponentialHistogramPoint) point;
    ExponentialHistogramPoint base = null;
    boolean history = false;
    if (!p.delta()) {
      CumulativeStream.Step step = stream.classify(p);
      if (step == CumulativeStream.Step.STALE) {
        return DropReason.STALE;
      }
      base = step == CumulativeStream.Step.NEXT ? last : null;
      // the first point seen of a stream that began before the window: its counts are history,
      // so they go into the totals but not into the window's quantiles
      history = last == null && p.startNanos() != 0 && p.timeNanos() - p.startNanos() > windowNanos;
      last = p;
      stream.advance(p);
    }
    long[] positive = p.positive();
    long[] negative = p.negative();
    long zero = p.zeroCount();
    if (base != null) {
      int shift = base.scale() - p.scale();
      positive =
          increase(p.positive(), p.positiveOffset(), base.positive(), base.positiveOffset(), shift);
      negative =
          increase(p.negative(), p.negativeOffset(), base.negative(), base.negativeOffset(), shift);
      zero = p.zeroCount() - base.zeroCount();
      if (positive == null || negative == null || zero < 0) {
        base = null; // a count went down: the source was reset
        positive = p.positive();
        negative = p.negative();
        zero = p.zeroCount();
      }
    }
    double total = sum + (base == null ? p.sum() : p.sum() - base.sum());
    if (!Double.isFinite(total)) {
      return DropReason.OVERFLOW; // each sum is finite (the mapper checks), their total is not
    }
    count += base == null ? p.count() : p.count() - base.count();
    sum = total;
    changed = true;
    if (nativeBuckets != null
        && !nativeBuckets.add(
            p.scale(), p.positiveOffset(), positive, p.negativeOffset(), negative, zero)) {
      nativeBuckets = null;
    }
    if (history) {
      return null;
    }
    recordBuckets(p.scale(), p.positiveOffset(), positive, zero, negative);
    markStale(staleQueue);
    return null;
  }

  private void recordBuckets(int scale, int offset, long[] positive, long zero, long[] negative) {
    long lost = 0;
    for (int i = 0; i < positive.length; i++) {
      if (positive[i] > 0
          && !window.record(ExponentialHistogramPoint.midpoint(scale, offset + i), positive[i])) {
        lost += positive[i];
      }
    }
    long clampedToZero = 0;
    for (long n : negative) {
      clampedToZero += n;
    }
    if (zero + clampedToZero > 0 && !window.record(0, zero + clampedToZero)) {
      lost += zero + clampedToZero;
    }
    if (clampedToZero + lost > 0) {
      stats.addClamped(clampedToZero + lost);
    }
  }

  /**
   * The increase of each bucket of {@code now} over {@code before}, whose buckets are first mapped
   * {@code shift} scales down; null if {@code shift} is negative or a count went down.
   */
  static long[] increase(long[] now, int nowOffset, long[] before, int beforeOffset, int shift) {
    if (shift < 0) {
      return null;
    }
    long[] inc = now.clone();
    for (int i = 0; i < before.length; i++) {
      if (before[i] != 0) {
        int j = ((beforeOffset + i) >> shift) - nowOffset; // >> floors, as bucket indexes need
        if (j < 0 || j >= inc.length) {
          return null;
        }
        inc[j] -= before[i];
      }
    }
    for (long n : inc) {
      if (n < 0) {
        return null;
      }
    }
    return inc;
  }

  @Override
  void rotate() {
    window.rotate();
    if (quantiles != null) {
      markStale(staleQueue);
    }
  }

  @Override
  void computeQuantiles() {
    quantiles = window.quantiles(HistogramSeries.LEVELS);
    changed = true;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (changed || snapshot == null) {
      snapshot =
          SeriesSnapshot.quantiles(
              name,
              tickMillis,
              0,
              count,
              sum,
              null,
              quantiles,
              nativeBuckets == null ? null : nativeBuckets.view());
      changed = false;
    }
    return snapshot;
  }
}
