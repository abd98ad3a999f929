package dev.tally.verticles.aggregate;

import dev.tally.verticles.snapshot.NativeHistogram;

/**
 * Cumulative exponential buckets, the data of a Prometheus native histogram: what an OTLP
 * ExponentialHistogram's points add up to, or the samples of a timer or distribution exposed as a
 * native histogram. Indexes are OTLP's (at scale {@code s}, bucket {@code i} holds {@code
 * (2^(i/2^s), 2^((i+1)/2^s)]}); {@link #view()} gives Prometheus' (one more). The scale starts at
 * {@link #MAX_SCALE}, the finest Prometheus takes, and goes down (two buckets become one) whenever
 * the buckets in use on one side would span more than {@link #MAX_BUCKETS}, or a point of a lower
 * scale comes in, as OpenTelemetry SDKs do. The zero bucket holds exact zeros. Confined to its
 * series' shard.
 */
final class ExponentialBuckets {
  /** The finest scale: Prometheus native histograms take schemas from -4 to 8. */
  static final int MAX_SCALE = 8;

  /** The coarsest scale Prometheus takes; an OTLP point below it cannot be shown. */
  static final int MIN_SCALE = -4;

  /**
   * The most buckets one side may span: 160, the OpenTelemetry SDKs' default and Prometheus
   * client_java's default limit.
   */
  static final int MAX_BUCKETS = 160;

  private static final double LN2 = Math.log(2);

  private int scale = MAX_SCALE;
  private long zero;
  private final Side positive = new Side();
  private final Side negative = new Side();

  /** Adds {@code n} values of {@code v} (finite). */
  void record(double v, long n) {
    if (v == 0) {
      zero += n;
      return;
    }
    Side side = v > 0 ? positive : negative;
    double abs = Math.abs(v);
    int index = indexOf(abs, scale);
    while (!side.fits(index)) {
      downscale(1);
      index = indexOf(abs, scale);
    }
    side.add(index, n);
  }

  /**
   * Adds the buckets of an OTLP point, each side's counts from its offset, at {@code pointScale}
   * (any OTLP scale from -10 to 20; finer than {@link #MAX_SCALE} is merged down).
   *
   * @return false, adding nothing, if {@code pointScale} is below {@link #MIN_SCALE}
   */
  boolean add(
      int pointScale,
      int positiveOffset,
      long[] positiveCounts,
      int negativeOffset,
      long[] negativeCounts,
      long zeroCount) {
    if (pointScale < MIN_SCALE) {
      return false;
    }
    if (pointScale < scale) {
      downscale(scale - pointScale);
    }
    addSide(positive, pointScale, positiveOffset, positiveCounts);
    addSide(negative, pointScale, negativeOffset, negativeCounts);
    zero += zeroCount;
    return true;
  }

  private void addSide(Side side, int pointScale, int offset, long[] counts) {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      int index = (offset + i) >> (pointScale - scale); // >> floors, as bucket indexes need
      while (!side.fits(index)) {
        downscale(1);
        index = (offset + i) >> (pointScale - scale);
      }
      side.add(index, counts[i]);
    }
  }

  private void downscale(int by) {
    scale -= by;
    positive.downscale(by);
    negative.downscale(by);
  }

  /** The buckets as they are now, with Prometheus' indexes. */
  NativeHistogram view() {
    return new NativeHistogram(
        scale, zero, positive.lo + 1, positive.copy(), negative.lo + 1, negative.copy());
  }

  /**
   * The OTLP index of {@code v} (positive, finite) at {@code scale}: the {@code i} with {@code v}
   * in {@code (2^(i/2^scale), 2^((i+1)/2^scale)]}. Exact for powers of two; elsewhere by logarithm,
   * so a value within a rounding error of a boundary may land beside it (as in the SDKs' mapping).
   */
  static int indexOf(double v, int scale) {
    int exponent = Math.getExponent(v);
    if (exponent < Double.MIN_EXPONENT) {
      exponent = Double.MIN_EXPONENT; // subnormal: counted with the smallest normal numbers
    }
    boolean powerOfTwo = (Double.doubleToRawLongBits(v) & 0x000f_ffff_ffff_ffffL) == 0;
    if (scale <= 0) {
      return (powerOfTwo ? exponent - 1 : exponent) >> -scale;
    }
    if (powerOfTwo) {
      return (exponent << scale) - 1;
    }
    return (int) Math.ceil(Math.scalb(Math.log(v) / LN2, scale)) - 1;
  }

  /**
   * One side's counts: a dense array over the indexes [{@link #lo}, {@link #hi}] in use; null until
   * the first.
   */
  private static final class Side {
    long[] counts; // counts[i - base] for index i
    int base;
    int lo;
    int hi;

    /** True if index {@code i} can be added without spanning more than MAX_BUCKETS. */
    boolean fits(int i) {
      return counts == null || (long) Math.max(hi, i) - Math.min(lo, i) < MAX_BUCKETS;
    }

    void add(int i, long n) {
      if (counts == null) {
        counts = new long[8];
        base = i - 4;
        lo = hi = i;
      } else if (i < base || i >= base + counts.length) {
        int newLo = Math.min(lo, i);
        int newHi = Math.max(hi, i);
        int span = newHi - newLo + 1;
        long[] grown = new long[Math.min(MAX_BUCKETS + 8, Math.max(span + 8, counts.length * 2))];
        int newBase = newLo - (grown.length - span) / 2;
        System.arraycopy(counts, lo - base, grown, lo - newBase, hi - lo + 1);
        counts = grown;
        base = newBase;
      }
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
      counts[i - base] += n;
    }

    void downscale(int by) {
      if (counts == null) {
        return;
      }
      int newLo = lo >> by;
      int newHi = hi >> by;
      long[] merged = new long[Math.max(8, newHi - newLo + 1 + 8)];
      int newBase = newLo - 4;
      for (int i = lo; i <= hi; i++) {
        merged[(i >> by) - newBase] += counts[i - base];
      }
      counts = merged;
      base = newBase;
      lo = newLo;
      hi = newHi;
    }

    long[] copy() {
      if (counts == null) {
        return null;
      }
      long[] out = new long[hi - lo + 1];
      System.arraycopy(counts, lo - base, out, 0, out.length);
      return out;
    }
  }
}
