package dev.tally.gateway.guard;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request body bytes that all OTLP requests together may hold while they are received and
 * processed, on both transports and every event loop. A request takes its bytes as they arrive and
 * gives them back when it is answered or ends; one that would go over the budget is refused as
 * overloaded. Thread-safe.
 */
public final class RequestBudget {
  private final long max;
  private final AtomicLong held = new AtomicLong();
  private final LongAdder refused = new LongAdder();
  private final LongAdder timedOut = new LongAdder();

  public RequestBudget(long max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.max = max;
  }

  /** Takes {@code bytes}; false (and nothing taken) if that would go over the budget. */
  boolean tryTake(long bytes) {
    long now;
    do {
      now = held.get();
      if (now + bytes > max) {
        refused.increment();
        return false;
      }
    } while (!held.compareAndSet(now, now + bytes));
    return true;
  }

  void give(long bytes) {
    held.addAndGet(-bytes);
  }

  void countTimeout() {
    timedOut.increment();
  }

  public long max() {
    return max;
  }

  /** Bytes held by requests now. */
  public long held() {
    return held.get();
  }

  /** Requests refused because their body would have gone over the budget. */
  public long refused() {
    return refused.sum();
  }

  /** Requests ended because they were not answered within the request timeout. */
  public long timedOut() {
    return timedOut.sum();
  }
}
