package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpPoint;
import java.util.Collections;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;

/**
 * What one series gathered on one node in one tick, for the node that owns it (issue 10): a
 * counter's increase, a gauge's last value with the time it was set, a set's members (as their
 * hashes), or a timer's or distribution's interval histogram (in recorded units) with its count,
 * sum, min and max; or an OTLP series' points. Immutable once made.
 */
public final class SeriesDelta {
  /** The highest value any histogram series tracks (distributions: 10⁹, in thousandths). */
  public static final long MAX_HIGHEST = 1_000_000_000_000L;

  /** The most significant digits of any histogram series. */
  public static final int MAX_DIGITS = 3;

  private final SeriesKey key;
  private final String help;
  private final double value;
  private final long timeMillis;
  private final long[] members;
  private final AbstractHistogram histogram;
  private final long[] values;
  private final long[] valueCounts;
  private final double count;
  private final double sum;
  private final double min;
  private final double max;
  private final boolean adjustment;
  private final List<OtlpPoint> points;

  SeriesDelta(
      SeriesKey key,
      String help,
      double value,
      long timeMillis,
      long[] members,
      AbstractHistogram histogram,
      long[] values,
      long[] valueCounts,
      double count,
      double sum,
      double min,
      double max,
      boolean adjustment,
      List<OtlpPoint> points) {
    this.adjustment = adjustment;
    this.points = points == null ? null : Collections.unmodifiableList(points); // handed over
    this.key = key;
    this.help = help;
    this.value = value;
    this.timeMillis = timeMillis;
    this.members = members;
    this.histogram = histogram;
    this.values = values;
    this.valueCounts = valueCounts;
    this.count = count;
    this.sum = sum;
    this.min = min;
    this.max = max;
  }

  public static SeriesDelta counter(SeriesKey key, String help, double increase) {
    return new SeriesDelta(key, help, increase, 0, null, null, null, null, 0, 0, 0, 0, false, null);
  }

  public static SeriesDelta gauge(SeriesKey key, String help, double value, long timeMillis) {
    return new SeriesDelta(
        key, help, value, timeMillis, null, null, null, null, 0, 0, 0, 0, false, null);
  }

  /** A gauge's {@code +n}/{@code -n} adjustments of a tick, which add at the owner. */
  public static SeriesDelta gaugeAdjustment(
      SeriesKey key, String help, double adjustment, long timeMillis) {
    return new SeriesDelta(
        key, help, adjustment, timeMillis, null, null, null, null, 0, 0, 0, 0, true, null);
  }

  public static SeriesDelta set(SeriesKey key, long[] members) {
    return new SeriesDelta(key, null, 0, 0, members, null, null, null, 0, 0, 0, 0, false, null);
  }

  public static SeriesDelta histogram(
      SeriesKey key,
      String help,
      AbstractHistogram histogram,
      double count,
      double sum,
      double min,
      double max) {
    return new SeriesDelta(
        key, help, 0, 0, null, histogram, null, null, count, sum, min, max, false, null);
  }

  /**
   * A histogram interval of few values, sent as the values (in recorded units) and their counts
   * rather than as an HdrHistogram, whose encoding, decoding and adding each walk every bucket of
   * its range (about 20–30 µs each, whatever the few values in it).
   */
  public static SeriesDelta sparseHistogram(
      SeriesKey key,
      String help,
      long[] values,
      long[] valueCounts,
      double count,
      double sum,
      double min,
      double max) {
    return new SeriesDelta(
        key, help, 0, 0, null, null, values, valueCounts, count, sum, min, max, false, null);
  }

  /**
   * An OTLP series' points of a tick, as they were received: the owner records them as they arrive,
   * so that a cumulative stream split over nodes by a load balancer is read as one stream (its
   * increases between points, not each node's first value again). The points' own keys are not
   * used: they go to the series of {@code key}.
   */
  public static SeriesDelta points(SeriesKey key, String help, List<OtlpPoint> points) {
    return new SeriesDelta(key, help, 0, 0, null, null, null, null, 0, 0, 0, 0, false, points);
  }

  /** An OTLP series' points, in the order received; null for other kinds. */
  public List<OtlpPoint> points() {
    return points;
  }

  public SeriesKey key() {
    return key;
  }

  /**
   * An upper estimate of the heap the delta holds while it waits for a shard (as {@link
   * OtlpPoint#estimatedBytes()}): it counts against the shards' shared byte bound.
   */
  public long estimatedBytes() {
    long bytes = 96 + key.estimatedBytes();
    if (members != null) {
      bytes += 16 + 8L * members.length;
    }
    if (values != null) {
      bytes += 32 + 16L * values.length;
    }
    if (histogram != null) {
      bytes += histogram.getEstimatedFootprintInBytes();
    }
    if (points != null) {
      for (OtlpPoint p : points) {
        bytes += OtlpPoint.OBJECT_BYTES + p.valueBytes(); // they share the delta's key
      }
    }
    return bytes;
  }

  /** The metric's description; null if none. */
  public String help() {
    return help;
  }

  /** A counter's increase or a gauge's value. */
  public double value() {
    return value;
  }

  /** True for a gauge's adjustments ({@link #value()} adds), false for a value set. */
  public boolean adjustment() {
    return adjustment;
  }

  /** When a gauge's value was set, wall-clock milliseconds of the node that sent it. */
  public long timeMillis() {
    return timeMillis;
  }

  /** A set's member hashes; do not modify. */
  public long[] members() {
    return members;
  }

  /**
   * A histogram's interval values in recorded units; null for a sparse one ({@link #values()}); do
   * not modify.
   */
  public AbstractHistogram histogram() {
    return histogram;
  }

  /** A sparse histogram's values in recorded units; null otherwise; do not modify. */
  public long[] values() {
    return values;
  }

  /** The count of each of {@link #values()}; do not modify. */
  public long[] valueCounts() {
    return valueCounts;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }
}
