package dev.tally.verticles.history;

import java.util.Arrays;

/** A series' samples read for a query, oldest first; reused from series to series. */
public final class Samples {
  private long[] times = new long[256];
  private double[] values = new double[256];
  private int size;

  public int size() {
    return size;
  }

  public long time(int i) {
    return times[i];
  }

  public double value(int i) {
    return values[i];
  }

  void clear() {
    size = 0;
  }

  /** Adds the samples of {@code v} in {@code [mint, maxt]} after those held (later times only). */
  void add(XorChunk.View v, long mint, long maxt) {
    XorChunk.Reader r = v.reader();
    while (r.next()) {
      long t = r.time();
      if (t > maxt) {
        return;
      }
      if (t >= mint && (size == 0 || t > times[size - 1])) {
        if (size == times.length) {
          times = Arrays.copyOf(times, size * 2);
          values = Arrays.copyOf(values, size * 2);
        }
        times[size] = t;
        values[size++] = r.value();
      }
    }
  }
}
