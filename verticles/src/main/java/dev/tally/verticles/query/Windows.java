package dev.tally.verticles.query;

import java.util.Arrays;

/**
 * The functions of a range vector, over one series' samples in one window ({@code times[lo..hi)},
 * {@code values} alike), as Prometheus computes them (its {@code functions.go}): rates extrapolated
 * to the window's edges, instant rates from the last two samples, and the {@code *_over_time}
 * family with Kahan sums.
 */
final class Windows {
  private Windows() {}

  /**
   * {@code rate}, {@code increase} and {@code delta}; NaN (no sample) with fewer than two samples.
   *
   * @param rangeStart the window's start (exclusive), epoch ms
   * @param rangeEnd its end (inclusive)
   */
  static double extrapolatedRate(
      long[] t,
      double[] v,
      int lo,
      int hi,
      long rangeStart,
      long rangeEnd,
      boolean counter,
      boolean rate) {
    if (hi - lo < 2) {
      return Series.ABSENT;
    }
    int last = hi - 1;
    double result = v[last] - v[lo];
    if (counter) {
      double prev = v[lo];
      for (int i = lo + 1; i < hi; i++) {
        if (v[i] < prev) {
          result += prev;
        }
        prev = v[i];
      }
    }
    double toStart = (t[lo] - rangeStart) / 1000.0;
    double toEnd = (rangeEnd - t[last]) / 1000.0;
    double sampled = (t[last] - t[lo]) / 1000.0;
    double average = sampled / (hi - lo - 1);
    double threshold = average * 1.1;
    if (toStart >= threshold) {
      toStart = average / 2;
    }
    if (counter) {
      double toZero = toStart;
      if (result > 0 && v[lo] >= 0) {
        toZero = sampled * (v[lo] / result);
      }
      if (toZero < toStart) {
        toStart = toZero;
      }
    }
    if (toEnd >= threshold) {
      toEnd = average / 2;
    }
    double factor = (sampled + toStart + toEnd) / sampled;
    if (rate) {
      factor /= (rangeEnd - rangeStart) / 1000.0;
    }
    return result * factor;
  }

  /** {@code irate} and {@code idelta}: the last two samples. */
  static double instant(long[] t, double[] v, int lo, int hi, boolean rate) {
    if (hi - lo < 2) {
      return Series.ABSENT;
    }
    double last = v[hi - 1];
    double previous = v[hi - 2];
    double result = rate && last < previous ? last : last - previous;
    long interval = t[hi - 1] - t[hi - 2];
    if (interval == 0) {
      return Series.ABSENT;
    }
    return rate ? result / (interval / 1000.0) : result;
  }

  static double avg(double[] v, int lo, int hi) {
    double sum = 0;
    double mean = 0;
    double c = 0;
    double count = 0;
    boolean incremental = false;
    for (int i = lo; i < hi; i++) {
      count++;
      if (!incremental) {
        double newSum = sum + v[i];
        double newC = kahanC(v[i], sum, newSum, c);
        if (count == 1 || !Double.isInfinite(newSum)) {
          sum = newSum;
          c = newC;
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        c /= count - 1;
      }
      double q = (count - 1) / count;
      double inc = v[i] / count;
      double base = q * mean;
      double next = base + inc;
      c = kahanC(inc, base, next, q * c);
      mean = next;
    }
    return incremental ? mean + c : sum / count + c / count;
  }

  static double sum(double[] v, int lo, int hi) {
    double sum = 0;
    double c = 0;
    for (int i = lo; i < hi; i++) {
      double next = sum + v[i];
      c = kahanC(v[i], sum, next, c);
      sum = next;
    }
    return Double.isInfinite(sum) ? sum : sum + c;
  }

  /** The compensation after {@code sum + inc = next}, as Prometheus' kahanSumInc keeps it. */
  static double kahanC(double inc, double sum, double next, double c) {
    if (Double.isInfinite(next)) {
      return 0;
    }
    if (Math.abs(sum) >= Math.abs(inc)) {
      return c + ((sum - next) + inc);
    }
    return c + ((inc - next) + sum);
  }

  static double min(double[] v, int lo, int hi) {
    double m = v[lo];
    for (int i = lo + 1; i < hi; i++) {
      if (v[i] < m || Double.isNaN(m)) {
        m = v[i];
      }
    }
    return m;
  }

  static double max(double[] v, int lo, int hi) {
    double m = v[lo];
    for (int i = lo + 1; i < hi; i++) {
      if (v[i] > m || Double.isNaN(m)) {
        m = v[i];
      }
    }
    return m;
  }

  /** The φ-quantile of values, interpolated as Prometheus' {@code quantile} does. */
  static double quantile(double phi, double[] values, int n) {
    if (n == 0 || Double.isNaN(phi)) {
      return Double.NaN;
    }
    if (phi < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (phi > 1) {
      return Double.POSITIVE_INFINITY;
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted); // NaN last in Java
    sortNaNFirst(sorted);
    double rank = phi * (n - 1);
    int lower = (int) Math.max(0, Math.floor(rank));
    int upper = (int) Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return sorted[lower] * (1 - weight) + sorted[upper] * weight;
  }

  /**
   * Moves NaNs to the front, where Prometheus' ordering (NaN is less than everything) puts them.
   */
  private static void sortNaNFirst(double[] sorted) {
    int nans = 0;
    for (int i = sorted.length - 1; i >= 0 && Double.isNaN(sorted[i]); i--) {
      nans++;
    }
    if (nans > 0) {
      System.arraycopy(sorted, 0, sorted, nans, sorted.length - nans);
      Arrays.fill(sorted, 0, nans, Double.NaN);
    }
  }
}
