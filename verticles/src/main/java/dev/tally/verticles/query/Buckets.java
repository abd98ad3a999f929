package dev.tally.verticles.query;

import java.util.Arrays;

/**
 * {@code histogram_quantile} over classic buckets, as Prometheus' {@code bucketQuantile}: buckets
 * sorted by upper bound, the last one {@code +Inf} (else NaN), equal bounds merged, counts forced
 * to grow; the quantile's rank found and interpolated linearly inside its bucket (the first bucket
 * starts at 0, the {@code +Inf} bucket answers the highest finite bound).
 */
final class Buckets {
  private double[] bounds = new double[16];
  private double[] counts = new double[16];
  private int size;

  void clear() {
    size = 0;
  }

  void add(double bound, double count) {
    if (size == bounds.length) {
      bounds = Arrays.copyOf(bounds, size * 2);
      counts = Arrays.copyOf(counts, size * 2);
    }
    bounds[size] = bound;
    counts[size++] = count;
  }

  boolean isEmpty() {
    return size == 0;
  }

  double quantile(double phi) {
    if (Double.isNaN(phi)) {
      return Double.NaN;
    }
    if (phi < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (phi > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sort();
    if (size == 0 || bounds[size - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    coalesce();
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < size; i++) { // monotonic
      if (counts[i] > max) {
        max = counts[i];
      } else if (counts[i] < max) {
        counts[i] = max;
      }
    }
    if (size < 2) {
      return Double.NaN;
    }
    double observations = counts[size - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = phi * observations;
    int b = 0;
    while (b < size - 1 && !(counts[b] >= rank)) {
      b++;
    }
    if (b == size - 1) {
      return bounds[size - 2];
    }
    if (b == 0 && bounds[0] <= 0) {
      return bounds[0];
    }
    double start = 0;
    double end = bounds[b];
    double count = counts[b];
    if (b > 0) {
      start = bounds[b - 1];
      count -= counts[b - 1];
      rank -= counts[b - 1];
    }
    return start + (end - start) * (rank / count);
  }

  private void sort() {
    for (int i = 1; i < size; i++) { // insertion sort: buckets come nearly sorted
      double b = bounds[i];
      double c = counts[i];
      int j = i - 1;
      while (j >= 0 && bounds[j] > b) {
        bounds[j + 1] = bounds[j];
        counts[j + 1] = counts[j];
        j--;
      }
      bounds[j + 1] = b;
      counts[j + 1] = c;
    }
  }

  private void coalesce() {
    int out = 0;
    for (int i = 0; i < size; i++) {
      if (out > 0 && bounds[out - 1] == bounds[i]) {
        counts[out - 1] += counts[i];
      } else {
        bounds[out] = bounds[i];
        counts[out++] = counts[i];
      }
    }
    size = out;
  }
}
