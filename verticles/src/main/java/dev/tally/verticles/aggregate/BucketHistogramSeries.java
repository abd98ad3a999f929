package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.HistogramPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import java.util.Arrays;

/**
 * An OTLP explicit-bucket Histogram, exposed as a cumulative Prometheus histogram with the same
 * bounds. Delta points add their counts; cumulative points add their increase since the previous
 * point, or everything after a reset (a moved start time, or a count lower than the last). A point
 * with other bounds starts the series again under the new bounds, which Prometheus sees as a reset.
 */
final class BucketHistogramSeries extends Series {
  private final CumulativeStream stream = new CumulativeStream();
  private double[] bounds;
  private long[] counts; // per bucket, the last one above the highest bound
  private long count;
  private double sum;
  private long tickCount;
  private HistogramPoint last;
  private boolean changed;

  BucketHistogramSeries(SeriesName name) {
    super(name);
  }

  @Override
  DropReason record(OtlpPoint point) {
    HistogramPoint p = (HistogramPoint) point;
    if (bounds == null || !Arrays.equals(bounds, p.bounds())) {
      bounds = p.bounds();
      counts = new long[p.bucketCounts().length];
      count = 0;
      sum = 0;
      last = null;
      stream.clear();
    }
    HistogramPoint previous = null;
    if (!p.delta()) {
      CumulativeStream.Step step = stream.classify(p);
      if (step == CumulativeStream.Step.STALE) {
        return DropReason.STALE;
      }
      previous = step == CumulativeStream.Step.RESET || decreased(p) ? null : last;
    }
    // each sum is finite (the mapper checks), their total may not be: the point is refused, the
    // series keeps its finite sum
    if (!Double.isFinite(sum + (previous == null ? p.sum() : p.sum() - previous.sum()))) {
      return DropReason.OVERFLOW;
    }
    add(p, previous);
    if (!p.delta()) {
      last = p;
      stream.advance(p);
    }
    changed = true;
    return null;
  }

  /** Adds {@code p}'s counts, less those of {@code previous} if it is not null. */
  private void add(HistogramPoint p, HistogramPoint previous) {
    long[] c = p.bucketCounts();
    for (int i = 0; i < c.length; i++) {
      counts[i] += previous == null ? c[i] : c[i] - previous.bucketCounts()[i];
    }
    long increase = previous == null ? p.count() : p.count() - previous.count();
    count += increase;
    tickCount += increase;
    sum += previous == null ? p.sum() : p.sum() - previous.sum();
  }

  /** One exemplar per bucket; bounds may change, so the slots are as many as the first had. */
  @Override
  int exemplarSlots() {
    return bounds == null ? 1 : bounds.length + 1;
  }

  @Override
  int exemplarSlot(double value) {
    int i = Arrays.binarySearch(bounds, value);
    return i >= 0 ? i : -i - 1;
  }

  private boolean decreased(HistogramPoint p) {
    if (last == null || p.count() < last.count()) {
      return last != null;
    }
    for (int i = 0; i < counts.length; i++) {
      if (p.bucketCounts()[i] < last.bucketCounts()[i]) {
        return true;
      }
    }
    return false;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (changed || snapshot == null || snapshot.rate() != 0) {
      double[] cumulative = new double[bounds.length];
      long running = 0;
      for (int i = 0; i < bounds.length; i++) {
        running += counts[i];
        cumulative[i] = running;
      }
      snapshot =
          SeriesSnapshot.buckets(
              name, tickMillis, tickCount / tickSeconds, count, sum, bounds, cumulative);
      tickCount = 0;
      changed = false;
    }
    return snapshot;
  }
}
