package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;

/**
 * A timer's or distribution's samples since the last drain, in recorded units: count, sum, min and
 * max, and the values by bucket, listed while there are few buckets ({@link BucketCounts}), else in
 * an HdrHistogram of the series' layout.
 */
public final class HistogramInterval extends Interval {
  private final AbstractHistogram layout;
  private BucketCounts buckets;
  private Histogram dense;
  private double count;
  private double sum;
  private double min = Double.NaN;
  private double max = Double.NaN;

  /**
   * @param layout a histogram of the series' range and precision: values are counted in its buckets
   */
  public HistogramInterval(AbstractHistogram layout) {
    this.layout = layout;
  }

  /** True if adding {@code weighted} (a value times its weight) leaves the sum finite. */
  public boolean fits(double weighted) {
    return Double.isFinite(sum + weighted);
  }

  /**
   * Adds a sample: {@code v} with its {@code weight} (1 / sample rate) to count, sum, min and max,
   * and {@code n} counts of {@code scaled} (v in recorded units, within the layout's range).
   */
  public void record(double v, double weight, long scaled, long n) {
    count += weight;
    sum += v * weight;
    min = Double.isNaN(min) ? v : Math.min(min, v);
    max = Double.isNaN(max) ? v : Math.max(max, v);
    count(scaled, n);
  }

  /**
   * Adds another node's interval (the nodes disagreed on the owner while members changed: this node
   * passes it on), its values within the layout's range.
   */
  public void merge(SeriesDelta d) {
    if (d.histogram() != null) {
      dense().add(d.histogram());
    } else {
      for (int i = 0; i < d.values().length; i++) {
        count(d.values()[i], d.valueCounts()[i]);
      }
    }
    count += d.count();
    sum += d.sum();
    min = Double.isNaN(min) ? d.min() : Math.min(min, d.min());
    max = Double.isNaN(max) ? d.max() : Math.max(max, d.max());
  }

  /**
   * Counts a value in its bucket (the lowest value of the bucket, exact to the layout's precision):
   * listed while there are few buckets, else in an HdrHistogram.
   */
  private void count(long scaled, long n) {
    if (dense == null) {
      if (buckets == null) {
        buckets = new BucketCounts();
      }
      if (buckets.add(layout.lowestEquivalentValue(scaled), n)) {
        return;
      }
    }
    dense().recordValueWithCount(scaled, n);
  }

  /** The interval as an HdrHistogram, made from the listed buckets if need be. */
  private Histogram dense() {
    if (dense == null) {
      // a plain array, not packed like a window's parts: it lives one tick, and recording into,
      // encoding and adding from a packed one resize and walk it at several times the cost
      dense =
          new Histogram(
              layout.getLowestDiscernibleValue(),
              layout.getHighestTrackableValue(),
              layout.getNumberOfSignificantValueDigits());
      if (buckets != null && buckets.size() > 0) {
        long[] values = buckets.values();
        long[] counts = buckets.counts();
        for (int i = 0; i < values.length; i++) {
          dense.recordValueWithCount(values[i], counts[i]);
        }
        buckets.clear();
      }
    }
    return dense;
  }

  @Override
  public SeriesDelta drain(SeriesKey key, String help) {
    if (count == 0) {
      return null;
    }
    SeriesDelta d =
        dense != null
            ? SeriesDelta.histogram(key, help, dense, count, sum, min, max)
            : SeriesDelta.sparseHistogram(
                key, help, buckets.values(), buckets.counts(), count, sum, min, max);
    dense = null; // handed over whole (a copy walks every bucket); the next sample makes one
    if (buckets != null) {
      buckets.clear();
    }
    count = 0;
    sum = 0;
    min = max = Double.NaN;
    return d;
  }
}
