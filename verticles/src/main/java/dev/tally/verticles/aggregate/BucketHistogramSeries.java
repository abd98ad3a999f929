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
 *
 * <p>Its snapshots also carry the {@link SeriesSnapshot#QUANTILES} of the latest tick that brought
 * observations, interpolated in its buckets as Prometheus' {@code histogram_quantile} does, for the
 * live feed and alert rules: an SDK exports every few seconds (a minute by default), so the
 * quantiles hold from one export to the next, for at most the window ({@code --window}); then they
 * are gone, as a timer's are when its window empties. The first point seen of a stream that began
 * before the window is history: it counts in the buckets, not in the quantiles.
 */
final class BucketHistogramSeries extends Series {
  private final CumulativeStream stream = new CumulativeStream();
  private double[] bounds;
  private long[] counts; // per bucket, the last one above the highest bound
  private long count;
  private double sum;
  private long tickCount;
  private long[] tickCounts; // per bucket, this tick's observations
  private double[] recent; // the quantiles of the latest tick with observations; null before one
  private long recentMillis; // that tick's time
  private final long windowMillis;
  private final long windowNanos;
  private HistogramPoint last;
  private boolean changed;

  BucketHistogramSeries(SeriesName name, long windowMillis) {
    super(name);
    this.windowMillis = windowMillis;
    this.windowNanos = windowMillis * 1_000_000;
  }

  @Override
  DropReason record(OtlpPoint point) {
    HistogramPoint p = (HistogramPoint) point;
    if (bounds == null || !Arrays.equals(bounds, p.bounds())) {
      bounds = p.bounds();
      counts = new long[p.bucketCounts().length];
      tickCounts = new long[counts.length];
      recent = null;
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
    // the first point seen of a stream that began before the window: its counts are history
    boolean history =
        previous == null
            && !p.delta()
            && last == null
            && p.startNanos() != 0
            && p.timeNanos() - p.startNanos() > windowNanos;
    add(p, previous, history);
    if (!p.delta()) {
      last = p;
      stream.advance(p);
    }
    changed = true;
    return null;
  }

  /**
   * Adds {@code p}'s counts, less those of {@code previous} if it is not null; to this tick's
   * observations too unless they are {@code history}.
   */
  private void add(HistogramPoint p, HistogramPoint previous, boolean history) {
    long[] c = p.bucketCounts();
    for (int i = 0; i < c.length; i++) {
      long added = previous == null ? c[i] : c[i] - previous.bucketCounts()[i];
      counts[i] += added;
      if (!history) {
        tickCounts[i] += added;
      }
    }
    long increase = previous == null ? p.count() : p.count() - previous.count();
    count += increase;
    if (!history) {
      tickCount += increase;
    }
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
    boolean expiring = recent != null && tickMillis - recentMillis >= windowMillis;
    if (changed || snapshot == null || snapshot.rate() != 0 || expiring) {
      double[] cumulative = new double[bounds.length];
      long running = 0;
      for (int i = 0; i < bounds.length; i++) {
        running += counts[i];
        cumulative[i] = running;
      }
      if (tickCount > 0) {
        recent = quantiles(bounds, tickCounts);
        recentMillis = tickMillis;
        Arrays.fill(tickCounts, 0);
      } else if (expiring) {
        recent = null; // nothing observed for a window: no quantiles, as for an empty timer
      }
      snapshot =
          SeriesSnapshot.buckets(
              name, tickMillis, tickCount / tickSeconds, count, sum, bounds, cumulative, recent);
      tickCount = 0;
      changed = false;
    }
    return snapshot;
  }

  /**
   * The {@link SeriesSnapshot#QUANTILES} of observations counted per bucket ({@code counts[i]} in
   * {@code (bounds[i-1], bounds[i]]}, the last above the highest bound), as Prometheus' {@code
   * histogram_quantile}: linear inside the bucket of the rank, the first bucket from 0 (or its
   * bound if that is not positive), the highest finite bound for a rank above it; null if there are
   * none.
   */
  static double[] quantiles(double[] bounds, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total <= 0 || bounds.length == 0) {
      return null;
    }
    double[] out = new double[SeriesSnapshot.QUANTILES.size()];
    for (int q = 0; q < out.length; q++) {
      double rank = SeriesSnapshot.QUANTILES.get(q) * total;
      long below = 0;
      int b = 0;
      while (b < bounds.length && below + counts[b] < rank) {
        below += counts[b++];
      }
      if (b == bounds.length) {
        out[q] = bounds[bounds.length - 1];
      } else if (b == 0 && bounds[0] <= 0) {
        out[q] = bounds[0];
      } else {
        double start = b == 0 ? 0 : bounds[b - 1];
        out[q] = start + (bounds[b] - start) * ((rank - below) / counts[b]);
      }
    }
    return out;
  }
}
