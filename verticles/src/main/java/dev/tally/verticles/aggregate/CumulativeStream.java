package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.OtlpPoint;

/**
 * Tells how a cumulative OTLP point relates to the previous one of its series: the first point, a
 * new start time (the source restarted: a reset, as Prometheus treats one), the next point of the
 * same run, or a stale one (same run, not newer; or a start time older than the run's, a straggler
 * from before a restart) that must be ignored so that a retried request does not count twice.
 */
final class CumulativeStream {
  enum Step {
    RESET,
    NEXT,
    STALE
  }

  private long start = -1;
  private long time;

  /** Classifies {@code p}; the caller also treats a lower value than the last as a reset. */
  Step classify(OtlpPoint p) {
    if (start < 0 || p.startNanos() > start) {
      return Step.RESET;
    }
    if (p.startNanos() < start || (p.timeNanos() != 0 && p.timeNanos() <= time)) {
      return Step.STALE;
    }
    return Step.NEXT;
  }

  /** Makes {@code p} the last point of the run. */
  void advance(OtlpPoint p) {
    start = p.startNanos();
    time = p.timeNanos();
  }

  /** Forgets the run: the next point is a reset. */
  void clear() {
    start = -1;
    time = 0;
  }
}
