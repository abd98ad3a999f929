package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.TimerPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.cluster.HistogramInterval;
import dev.tally.verticles.cluster.Interval;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PipelineStats;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.PackedHistogram;

/**
 * A timer or distribution: exact cumulative count and sum, the last tick's min and max, and
 * percentiles over a sliding window.
 *
 * <p>The window is {@link #PARTS} histograms of consecutive periods: a sample is recorded once,
 * into the current part; every {@code window / PARTS} the part that has run longest is reset and
 * becomes the current one, and percentiles are read from all parts together, so they cover between
 * {@code (PARTS-1)/PARTS} of the window and the whole window (as Micrometer's {@code
 * TimeWindowPercentileHistogram}, which records each sample into every part and reads the oldest:
 * the same samples at half the recording cost with two parts). {@link PackedHistogram} keeps each
 * part's memory proportional to the buckets it uses.
 *
 * <p>Values are recorded as integers in thousandths of the sent unit (microseconds for timers),
 * from 0 up to {@link #highest}; values outside are clamped to the range and counted.
 *
 * <p>As its {@link HistogramLayout} says, the series also counts its samples into cumulative
 * buckets (each sample by its recorded value, so a bucket holds exactly the samples whose recorded
 * value is at most its bound) and into native-histogram buckets ({@link ExponentialBuckets}, by the
 * value as sent, in exposed units): both since the series began, as Prometheus histograms are.
 */
final class HistogramSeries extends Series {
  /**
   * Parts of the sliding window: 2 keeps a timer's memory and the cost of its percentiles low, with
   * percentiles over the last 30 to 60 s of a 60 s window.
   */
  static final int PARTS = 2;

  /** The quantiles exposed, as fractions: {@link SeriesSnapshot#QUANTILES}. */
  static final double[] LEVELS =
      SeriesSnapshot.QUANTILES.stream().mapToDouble(Double::doubleValue).toArray();

  /** Recorded units per sent unit: timers in µs, distributions in thousandths. */
  static final double SCALE = SeriesSnapshot.STATSD_SCALE;

  /** Highest timer: 1 hour, in µs. */
  static final long TIMER_HIGHEST = 3_600_000_000L;

  /**
   * Highest value of a mapping file's observer series, in µs: its {@code h} and {@code d} samples
   * are taken as seconds, as statsd_exporter takes them, up to a distribution's highest (10⁶).
   */
  static final long MAPPED_HIGHEST = 1_000_000_000_000L;

  /** Highest distribution value: 10⁹, in thousandths. */
  static final long DISTRIBUTION_HIGHEST = SeriesDelta.MAX_HIGHEST;

  /**
   * Samples a series takes before it records them into its window together: see {@link #pending}.
   */
  static final int PENDING = 16;

  private static final byte TIMER_CODE = MetricKind.TIMER.code();

  private final PackedHistogram[] parts = new PackedHistogram[PARTS];
  private final long highest;

  /**
   * True for a mapping file's observer series: a timer that also takes {@code h} and {@code d}
   * samples (one observer per name, as statsd_exporter has), in seconds where {@code ms} are in
   * milliseconds.
   */
  private final boolean mixedUnits;

  private final PipelineStats stats;
  private final Queue<Series> staleQueue;
  private int current; // the part that takes samples; the next one has run longest
  private double count;
  private double sum;
  private double min = Double.NaN;
  private double max = Double.NaN;
  private boolean intervalChanged = true;
  private double[] quantiles;
  private final int digits;
  private double countAtTick; // the count at the last tick, for unsent()
  private final HistogramLayout layout;
  private final double unitDivisor; // sent units per exposed unit: 1000 for timers

  /** The bucket bounds in recorded units (the layout's, shared); null for a summary. */
  private final long[] scaledBounds;

  /** The weight of samples per bucket, the last one above every bound; null for a summary. */
  private final double[] bucketWeights;

  /** Null unless the layout asks for native buckets. */
  private final ExponentialBuckets nativeBuckets;

  /**
   * Samples taken and not yet recorded into the current part, as (value, count) pairs: recorded
   * {@link #PENDING} at a time, and before the parts are read or rotated. A packed part is a tree
   * of small arrays; at 100 000 series it is rarely in the processor's caches, and recording one
   * sample at a time waited for its cache misses at every sample (620 ns a timer sample in {@code
   * AggregationBenchmark}, against 55 ns at 100 series). Null until the first sample.
   */
  private long[] pending;

  private int pendingSize;

  /**
   * @param staleQueue where the series puts itself when its window changes; the shard computes the
   *     percentiles of queued series at the tick, within its budget
   */
  HistogramSeries(
      SeriesName name,
      int digits,
      HistogramLayout layout,
      PipelineStats stats,
      Queue<Series> staleQueue) {
    this(name, digits, layout, false, stats, staleQueue);
  }

  /**
   * @param mixedUnits true for a mapping file's observer series (a timer): its {@code h} and {@code
   *     d} samples are seconds
   */
  HistogramSeries(
      SeriesName name,
      int digits,
      HistogramLayout layout,
      boolean mixedUnits,
      PipelineStats stats,
      Queue<Series> staleQueue) {
    super(name);
    this.mixedUnits = mixedUnits;
    this.layout = layout;
    this.unitDivisor = SeriesSnapshot.unitDivisor(name.key().kind());
    if (layout.type().buckets()) {
      scaledBounds = layout.recordedBounds(name.key().kind() == MetricKind.TIMER);
      bucketWeights = new double[scaledBounds.length + 1];
    } else {
      scaledBounds = null;
      bucketWeights = null;
    }
    nativeBuckets = layout.nativeBuckets() ? new ExponentialBuckets() : null;
    this.digits = digits;
    this.staleQueue = staleQueue;
    this.highest =
        name.key().kind() != MetricKind.TIMER
            ? DISTRIBUTION_HIGHEST
            : mixedUnits ? MAPPED_HIGHEST : TIMER_HIGHEST;
    this.stats = stats;
    for (int i = 0; i < PARTS; i++) {
      parts[i] = new PackedHistogram(1, highest, digits);
    }
  }

  @Override
  boolean record(SampleBatch batch, int i) {
    double weight = 1 / batch.rate(i);
    double v = batch.value(i);
    if (mixedUnits && batch.bytes()[batch.keyFrom(i)] != TIMER_CODE) {
      v *= 1000; // an h or d sample, in seconds: as milliseconds
    }
    boolean fits =
        forward == null
            ? Double.isFinite(sum + v * weight)
            : ((HistogramInterval) forward).fits(v * weight);
    if (!fits) {
      return false;
    }
    record(v, weight);
    return true;
  }

  /** Takes the durations of a {@link TimerPoint} (span RED metrics) as StatsD samples. */
  @Override
  DropReason record(OtlpPoint point) {
    for (double ms : ((TimerPoint) point).millis()) {
      record(ms, 1);
    }
    return null;
  }

  private void record(double v, double weight) {
    if (forward != null) {
      ((HistogramInterval) forward).record(v, weight, scaled(v), Math.max(1, Math.round(weight)));
      return;
    }
    count += weight;
    sum += v * weight;
    min = Double.isNaN(min) ? v : Math.min(min, v);
    max = Double.isNaN(max) ? v : Math.max(max, v);
    intervalChanged = true;
    long scaled = scaled(v);
    long n = Math.max(1, Math.round(weight));
    observe(scaled, weight, v / unitDivisor, n);
    if (pending == null) {
      pending = new long[2 * PENDING];
    }
    pending[2 * pendingSize] = scaled;
    pending[2 * pendingSize + 1] = n;
    if (++pendingSize == PENDING) {
      flush();
    }
    markStale(staleQueue);
  }

  /** Records the pending samples into the current part. */
  private void flush() {
    PackedHistogram part = parts[current];
    for (int k = 0; k < pendingSize; k++) {
      part.recordValueWithCount(pending[2 * k], pending[2 * k + 1]);
    }
    pendingSize = 0;
  }

  @Override
  int exemplarSlots() {
    return bucketWeights == null ? 1 : bucketWeights.length;
  }

  /** The bucket of an exemplar, whose value is in exposed units (span durations in seconds). */
  @Override
  int exemplarSlot(double value) {
    return bucketWeights == null ? 0 : bucketOf(Math.round(value * SCALE * unitDivisor));
  }

  /** The bucket of a value in recorded units: the first whose bound it does not exceed. */
  private int bucketOf(long scaled) {
    int i = java.util.Arrays.binarySearch(scaledBounds, scaled);
    return i >= 0 ? i : -i - 1;
  }

  /**
   * Counts samples into the buckets, if the series has any: classic ones by their recorded value
   * {@code scaled} with their {@code weight}, native ones by their {@code exposed} value, {@code n}
   * of them.
   */
  private void observe(long scaled, double weight, double exposed, long n) {
    if (bucketWeights != null) {
      bucketWeights[bucketOf(scaled)] += weight;
    }
    if (nativeBuckets != null) {
      nativeBuckets.record(exposed, n);
    }
  }

  /** Counts {@code n} merged samples of {@code scaled} (recorded units) into the buckets. */
  private void observe(long scaled, long n) {
    observe(scaled, n, scaled / (SCALE * unitDivisor), n);
  }

  /** {@code v} in recorded units, clamped (and counted) to the range. */
  private long scaled(double v) {
    long scaled = Math.round(v * SCALE);
    if (scaled < 0 || scaled > highest) {
      scaled = scaled < 0 ? 0 : highest;
      stats.addClamped(1);
    }
    return scaled;
  }

  /** Adds another node's interval: into the window's current part, and to count, sum, min, max. */
  @Override
  void merge(SeriesDelta delta) {
    SeriesDelta d = inRange(delta);
    if (forward != null) { // the nodes disagreed on the owner (members changing): pass it on
      ((HistogramInterval) forward).merge(d);
      return;
    }
    PackedHistogram part = parts[current];
    if (d.histogram() != null) {
      part.add(d.histogram());
      if (bucketWeights != null || nativeBuckets != null) {
        for (HistogramIterationValue v : d.histogram().recordedValues()) {
          observe(v.getValueIteratedTo(), v.getCountAddedInThisIterationStep());
        }
      }
    } else {
      for (int i = 0; i < d.values().length; i++) {
        part.recordValueWithCount(d.values()[i], d.valueCounts()[i]);
        observe(d.values()[i], d.valueCounts()[i]);
      }
    }
    count += d.count();
    sum += d.sum();
    min = Double.isNaN(min) ? d.min() : Math.min(min, d.min());
    max = Double.isNaN(max) ? d.max() : Math.max(max, d.max());
    intervalChanged = true;
    markStale(staleQueue);
  }

  /**
   * Another node's interval with its values in this series' range: a node with other settings (or a
   * damaged message) may send values beyond it, which are clamped and counted as local ones are.
   */
  private SeriesDelta inRange(SeriesDelta d) {
    long[] values;
    long[] counts;
    if (d.histogram() != null) {
      if (d.histogram().getMaxValue() <= highest) {
        return d;
      }
      List<long[]> listed = new ArrayList<>();
      for (HistogramIterationValue v : d.histogram().recordedValues()) {
        listed.add(new long[] {v.getValueIteratedTo(), v.getCountAtValueIteratedTo()});
      }
      values = new long[listed.size()];
      counts = new long[listed.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = listed.get(i)[0];
        counts[i] = listed.get(i)[1];
      }
    } else {
      boolean inside = true;
      for (long v : d.values()) {
        inside &= v >= 0 && v <= highest;
      }
      if (inside) {
        return d;
      }
      values = d.values().clone();
      counts = d.valueCounts();
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > highest) {
        values[i] = values[i] < 0 ? 0 : highest;
        stats.addClamped(1);
      }
    }
    return SeriesDelta.sparseHistogram(
        key, name.help(), values, counts, d.count(), d.sum(), d.min(), d.max());
  }

  /** The samples of this tick went into the window: they stay here, counted. */
  @Override
  Interval interval(boolean handOver) {
    return new HistogramInterval(parts[0]);
  }

  @Override
  long unsent() {
    return Math.round(count - countAtTick);
  }

  /** Starts a new part of the window: the part that has run longest, reset. */
  @Override
  void rotate() {
    flush(); // into the part that was current when they were taken
    current = (current + 1) % PARTS;
    parts[current].reset();
    if (quantiles != null) {
      markStale(staleQueue);
    }
  }

  /** True if this series is exposed as {@code other} says, with {@code mixedUnits} as given. */
  boolean hasLayout(HistogramLayout other, boolean mixedUnits) {
    return this.mixedUnits == mixedUnits && layout.sameAs(other);
  }

  /**
   * Recomputes the window's percentiles from all its parts together, all of them in one pass over
   * the parts' recorded values merged by value (the parts share one bucket layout, so a bucket's
   * counts are summed), with HdrHistogram's {@code getValueAtPercentile} rule: the highest value
   * equivalent to the first bucket whose cumulative count reaches {@code ceil(p * total)}.
   */
  @Override
  void computeQuantiles() {
    flush();
    long total = 0;
    for (PackedHistogram part : parts) {
      total += part.getTotalCount();
    }
    if (total == 0) {
      quantiles = null;
    } else {
      double[] levels = layout.levels();
      int n = levels.length;
      double[] q = new double[n];
      long[] targets = new long[n];
      for (int i = 0; i < n; i++) {
        targets[i] = Math.max(1, (long) Math.ceil(levels[i] * total));
      }
      Buckets buckets = new Buckets(parts);
      int next = 0;
      long cumulative = 0;
      while (next < n && buckets.advance()) {
        cumulative += buckets.count();
        while (next < n && cumulative >= targets[next]) {
          q[next++] = parts[0].highestEquivalentValue(buckets.value()); // recorded units
        }
      }
      quantiles = q;
    }
    intervalChanged = true;
  }

  /** The non-empty buckets of several histograms of one layout, in value order, counts summed. */
  static final class Buckets {
    private final List<Iterator<HistogramIterationValue>> iterators = new ArrayList<>();
    private final long[] values;
    private final long[] counts;
    private long value;
    private long count;

    Buckets(AbstractHistogram[] histograms) {
      values = new long[histograms.length];
      counts = new long[histograms.length];
      for (int i = 0; i < histograms.length; i++) {
        iterators.add(histograms[i].recordedValues().iterator());
        pull(i);
      }
    }

    /** Moves to the next bucket that any histogram counts in; false when there is none. */
    boolean advance() {
      long lowest = Long.MAX_VALUE;
      for (int i = 0; i < values.length; i++) {
        if (counts[i] > 0 && values[i] < lowest) {
          lowest = values[i];
        }
      }
      if (lowest == Long.MAX_VALUE) {
        return false;
      }
      value = lowest;
      count = 0;
      for (int i = 0; i < values.length; i++) {
        if (counts[i] > 0 && values[i] == lowest) {
          count += counts[i];
          pull(i);
        }
      }
      return true;
    }

    /** The current bucket's value (the one HdrHistogram iterates to). */
    long value() {
      return value;
    }

    /** The current bucket's count, summed over the histograms. */
    long count() {
      return count;
    }

    private void pull(int i) {
      Iterator<HistogramIterationValue> it = iterators.get(i);
      if (it.hasNext()) {
        HistogramIterationValue v = it.next(); // reused by the iterator: read it now
        values[i] = v.getValueIteratedTo();
        counts[i] = v.getCountAddedInThisIterationStep();
      } else {
        counts[i] = 0;
      }
    }
  }

  /**
   * The cumulative bucket weights but {@code +Inf} (that is the count); null for a summary. Each at
   * most the count: a cluster's merged samples are counted whole, their count by weight.
   */
  private double[] cumulative() {
    if (bucketWeights == null) {
      return null;
    }
    double[] c = new double[bucketWeights.length - 1];
    double running = 0;
    for (int b = 0; b < c.length; b++) {
      running += bucketWeights[b];
      c[b] = Math.min(running, count);
    }
    return c;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    countAtTick = count;
    if (intervalChanged || snapshot == null) {
      snapshot =
          SeriesSnapshot.observed(
              name,
              tickMillis,
              count,
              sum,
              min,
              max,
              layout.levels() == LEVELS ? null : layout.levels(),
              quantiles,
              layout.type(),
              bucketWeights == null ? null : layout.bounds(),
              cumulative(),
              nativeBuckets == null ? null : nativeBuckets.view());
      intervalChanged = !Double.isNaN(min); // one more snapshot to clear min/max after activity
      min = max = Double.NaN;
    }
    return snapshot;
  }
}
