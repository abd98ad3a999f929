package dev.tally.verticles.query;

/**
 * A query's bounds: samples read from the history, step values held, and a deadline. Checked as the
 * query goes; past one, it ends with an error instead of an answer.
 */
final class Budget {
  private final long maxSamples;
  private final long maxPoints;
  private final long deadlineNanos;
  private long samples;
  private long points;

  /**
   * @param maxSamples samples a query may read from the history
   * @param maxPoints step values a query may hold
   * @param timeoutMillis time it may take
   */
  Budget(long maxSamples, long maxPoints, long timeoutMillis) {
    this.maxSamples = maxSamples;
    this.maxPoints = maxPoints;
    this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000;
  }

  void read(long n) {
    samples += n;
    if (samples > maxSamples) {
      throw new QueryException(
          QueryException.Kind.EXECUTION,
          "query processing would read more than " + maxSamples + " samples from the history");
    }
  }

  void hold(long n) {
    points += n;
    if (points > maxPoints) {
      throw new QueryException(
          QueryException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution");
    }
  }

  /** Ends the query if its time is up. */
  void check() {
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(
          QueryException.Kind.TIMEOUT, "query timed out in expression evaluation");
    }
  }
}
