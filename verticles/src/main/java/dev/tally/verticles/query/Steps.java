package dev.tally.verticles.query;

/**
 * The times a query is evaluated at: {@code start, start + step, ...} up to {@code end} (epoch ms);
 * one time for an instant query.
 */
record Steps(long start, long step, int count) {
  static Steps of(long start, long end, long step) {
    return new Steps(start, step, (int) ((end - start) / step) + 1);
  }

  long time(int k) {
    return start + k * step;
  }

  long end() {
    return time(count - 1);
  }
}
