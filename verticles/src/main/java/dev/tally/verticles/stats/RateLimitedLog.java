package dev.tally.verticles.stats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A log line at most once per interval, with its stack trace, and the number of lines suppressed
 * since the last one: for errors that can repeat at the rate of the traffic (a failing tick, a
 * socket error) and must neither flood the log nor go unseen. Thread-safe.
 */
public final class RateLimitedLog {
  private final Logger logger;
  private final long intervalMillis;
  private final AtomicLong nextMillis = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong suppressed = new AtomicLong();

  public RateLimitedLog(Logger logger, long intervalMillis) {
    this.logger = logger;
    this.intervalMillis = intervalMillis;
  }

  /** Logs {@code message} and {@code thrown} unless a line was logged within the interval. */
  public void log(Level level, Supplier<String> message, Throwable thrown) {
    long now = System.currentTimeMillis();
    long next = nextMillis.get();
    if (now < next || !nextMillis.compareAndSet(next, now + intervalMillis)) {
      suppressed.incrementAndGet();
      return;
    }
    long skipped = suppressed.getAndSet(0);
    String text = message.get();
    if (skipped > 0) {
      text += " (" + skipped + " more like it not logged since the last)";
    }
    logger.log(level, text, thrown);
  }
}
