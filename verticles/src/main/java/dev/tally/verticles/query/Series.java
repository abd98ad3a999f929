package dev.tally.verticles.query;

import dev.tally.protocol.promql.Labels;

/**
 * One series of an instant vector over every step: its labels and a value per step, {@link #ABSENT}
 * where it has none. A sample's own NaN is a NaN of another bit pattern (selectors make every NaN
 * they read the usual one), so the two cannot be confused.
 */
final class Series {
  /** Marks a step without a sample: a NaN that no arithmetic produces. */
  static final long ABSENT_BITS = 0x7ff4_0000_0000_0a5bL;

  static final double ABSENT = Double.longBitsToDouble(ABSENT_BITS);

  final Labels labels;
  final double[] values;

  Series(Labels labels, double[] values) {
    this.labels = labels;
    this.values = values;
  }

  static boolean absent(double v) {
    return Double.doubleToRawLongBits(v) == ABSENT_BITS;
  }

  boolean present(int k) {
    return !absent(values[k]);
  }
}
