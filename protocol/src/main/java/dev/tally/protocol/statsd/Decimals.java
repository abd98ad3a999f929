package dev.tally.protocol.statsd;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes. Plain decimals with up to 15 significant digits and
 * at most 22 fraction digits take an exact fast path (Clinger: the integer mantissa and the power
 * of ten are both exact doubles, so one division rounds correctly); anything else, exponents
 * included, goes to {@link Double#parseDouble}.
 */
final class Decimals {
  private static final double[] POWERS = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = p;
      p *= 10;
    }
  }

  private Decimals() {}

  /**
   * Parses {@code bytes[from, to)} as an optionally signed decimal with optional fraction and
   * exponent. Returns NaN if it is not one or is not finite.
   */
  static double parse(byte[] bytes, int from, int to) {
    int i = from;
    boolean negative = false;
    if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
      negative = bytes[i] == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = 0;
    boolean any = false;
    for (; i < to; i++) {
      int d = bytes[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      any = true;
      if (mantissa != 0 || d != 0) {
        digits++;
      }
      mantissa = mantissa * 10 + d;
      if (digits > 15) {
        return slow(bytes, from, to);
      }
    }
    if (i < to && bytes[i] == '.') {
      i++;
      for (; i < to; i++) {
        int d = bytes[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        any = true;
        if (mantissa != 0 || d != 0) {
          digits++;
        }
        mantissa = mantissa * 10 + d;
        scale++;
        if (digits > 15) {
          return slow(bytes, from, to);
        }
      }
    }
    if (!any) {
      return Double.NaN;
    }
    if (i < to) {
      if (bytes[i] == 'e' || bytes[i] == 'E') {
        return slow(bytes, from, to);
      }
      return Double.NaN;
    }
    double value;
    if (scale == 0) {
      value = mantissa;
    } else if (scale < POWERS.length) {
      value = mantissa / POWERS[scale];
    } else {
      return slow(bytes, from, to);
    }
    return negative ? -value : value;
  }

  private static double slow(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      boolean ok =
          (b >= '0' && b <= '9') || b == '.' || b == '-' || b == '+' || b == 'e' || b == 'E';
      if (!ok) {
        return Double.NaN; // rejects "NaN", "Infinity", hex floats and type suffixes like "1d"
      }
    }
    try {
      double v = Double.parseDouble(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
      return Double.isFinite(v) ? v : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Parses {@code bytes[from, to)} as a non-negative decimal integer; -1 if it is not one. */
  static long parseLong(byte[] bytes, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = bytes[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
