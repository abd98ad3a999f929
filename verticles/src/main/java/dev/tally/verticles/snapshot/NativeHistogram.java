package dev.tally.verticles.snapshot;

import dev.tally.verticles.bus.Wire;
import io.vertx.core.buffer.Buffer;

/**
 * The buckets of a Prometheus native histogram at one tick: at schema {@code s}, bucket {@code i}
 * holds the values in {@code (2^((i-1)/2^s), 2^(i/2^s)]} (negative values mirrored), and the zero
 * bucket exact zeros (the exposition writes the threshold that marks a histogram native). Counts
 * are cumulative since the series began; each side is dense from its first index (a count may be
 * 0). Immutable: the arrays are never changed once given.
 */
public final class NativeHistogram {
  private static final long[] NONE = new long[0];

  private final int schema;
  private final long zeroCount;
  private final int positiveFirst;
  private final long[] positive;
  private final int negativeFirst;
  private final long[] negative;

  /**
   * @param positive the counts of buckets {@code positiveFirst, positiveFirst + 1, ...}; null or
   *     empty for none; owned by this instance from now on
   * @param negative as {@code positive}, for negative values by their absolute value
   */
  public NativeHistogram(
      int schema,
      long zeroCount,
      int positiveFirst,
      long[] positive,
      int negativeFirst,
      long[] negative) {
    this.schema = schema;
    this.zeroCount = zeroCount;
    this.positiveFirst = positiveFirst;
    this.positive = positive == null ? NONE : positive;
    this.negativeFirst = negativeFirst;
    this.negative = negative == null ? NONE : negative;
  }

  /** The schema, from -4 (buckets growing 2^16 times) to 8 (growing 2^(1/256) times). */
  public int schema() {
    return schema;
  }

  public long zeroCount() {
    return zeroCount;
  }

  /** The index of the first positive bucket. */
  public int positiveFirst() {
    return positiveFirst;
  }

  /** The positive buckets' counts from {@link #positiveFirst()}; do not modify. */
  public long[] positive() {
    return positive;
  }

  /** The index of the first negative bucket. */
  public int negativeFirst() {
    return negativeFirst;
  }

  /** The negative buckets' counts from {@link #negativeFirst()}; do not modify. */
  public long[] negative() {
    return negative;
  }

  /** The upper bound (in absolute value) of bucket {@code index} at this schema. */
  public double upperBound(int index) {
    return Math.pow(2, Math.scalb((double) index, -schema));
  }

  /** The count of every bucket, the zero bucket included. */
  public long count() {
    long n = zeroCount;
    for (long c : positive) {
      n += c;
    }
    for (long c : negative) {
      n += c;
    }
    return n;
  }

  /**
   * The buckets of {@code a} and {@code b} added up, at the coarser schema of the two (a null one
   * adds nothing); null if both are.
   */
  static NativeHistogram merge(NativeHistogram a, NativeHistogram b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    int schema = Math.min(a.schema, b.schema);
    Side positive =
        Side.sum(
            a.positiveFirst,
            a.positive,
            a.schema - schema,
            b.positiveFirst,
            b.positive,
            b.schema - schema);
    Side negative =
        Side.sum(
            a.negativeFirst,
            a.negative,
            a.schema - schema,
            b.negativeFirst,
            b.negative,
            b.schema - schema);
    return new NativeHistogram(
        schema,
        a.zeroCount + b.zeroCount,
        positive.first(),
        positive.counts(),
        negative.first(),
        negative.counts());
  }

  /** One side's dense counts from its first index. */
  private record Side(int first, long[] counts) {
    /** The counts of two sides added up, each first taken {@code shift} schemas coarser. */
    static Side sum(int aFirst, long[] a, int aShift, int bFirst, long[] b, int bShift) {
      if (a.length == 0 && b.length == 0) {
        return new Side(1, NONE);
      }
      // coarser() keeps the order of indexes: each side's first and last bound the result
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      if (a.length > 0) {
        lo = coarser(aFirst, aShift);
        hi = coarser(aFirst + a.length - 1, aShift);
      }
      if (b.length > 0) {
        lo = Math.min(lo, coarser(bFirst, bShift));
        hi = Math.max(hi, coarser(bFirst + b.length - 1, bShift));
      }
      long[] sum = new long[hi - lo + 1];
      add(sum, lo, aFirst, a, aShift);
      add(sum, lo, bFirst, b, bShift);
      return new Side(lo, sum);
    }

    private static void add(long[] sum, int lo, int first, long[] counts, int shift) {
      for (int i = 0; i < counts.length; i++) {
        sum[coarser(first + i, shift) - lo] += counts[i];
      }
    }
  }

  /** The index at a schema {@code shift} lower of bucket {@code index}. */
  static int coarser(int index, int shift) {
    // bucket i holds (2^((i-1)/2^s), 2^(i/2^s)]: two buckets 2j-1 and 2j become bucket j
    return ((index - 1) >> shift) + 1;
  }

  /** Writes {@code h} (null for none) for {@link #readFrom}. */
  static void writeTo(Buffer buffer, NativeHistogram h) {
    if (h == null) {
      buffer.appendByte((byte) 0);
      return;
    }
    buffer
        .appendByte((byte) 1)
        .appendInt(h.schema)
        .appendLong(h.zeroCount)
        .appendInt(h.positiveFirst)
        .appendInt(h.negativeFirst);
    Wire.longs(buffer, h.positive);
    Wire.longs(buffer, h.negative);
  }

  /** Reads what {@link #writeTo} wrote at {@code at[0]}, and moves {@code at[0]} past it. */
  static NativeHistogram readFrom(Buffer buffer, int[] at) {
    if (buffer.getByte(at[0]++) == 0) {
      return null;
    }
    int schema = Wire.getInt(buffer, at);
    long zeroCount = Wire.getLong(buffer, at);
    int positiveFirst = Wire.getInt(buffer, at);
    int negativeFirst = Wire.getInt(buffer, at);
    long[] positive = Wire.longs(buffer, at);
    long[] negative = Wire.longs(buffer, at);
    if (schema < -4 || schema > 8) {
      throw new IllegalStateException("a native histogram of schema " + schema);
    }
    return new NativeHistogram(schema, zeroCount, positiveFirst, positive, negativeFirst, negative);
  }
}
