package dev.tally.gateway.notify;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded queue of bodies for one receiver, delivered one at a time, in order, each retried with
 * exponential backoff: the first retry after {@link #FIRST_BACKOFF_MILLIS}, doubling up to {@link
 * #MAX_BACKOFF_MILLIS}, at most {@link #MAX_ATTEMPTS} attempts. A full queue drops its oldest body.
 * Logic only; one owner (the notifier verticle).
 */
public final class Delivery {
  static final long FIRST_BACKOFF_MILLIS = 500;
  static final long MAX_BACKOFF_MILLIS = 30_000;
  static final int MAX_ATTEMPTS = 6;

  private final int capacity;
  private final Counts counts;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int attempts; // of the head

  Delivery(int capacity, Counts counts) {
    this.capacity = capacity;
    this.counts = counts;
  }

  /** A receiver's delivered, given-up and dropped bodies; read by any thread. */
  public static final class Counts {
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dropped = new LongAdder();

    public long sent() {
      return sent.sum();
    }

    public long failed() {
      return failed.sum();
    }

    public long dropped() {
      return dropped.sum();
    }
  }

  /** Queues a body; drops the oldest if full. */
  void offer(String body) {
    if (queue.size() == capacity) {
      queue.removeFirst();
      attempts = 0;
      counts.dropped.increment();
    }
    queue.addLast(body);
  }

  /** The body to send now, or null if none. */
  String head() {
    return queue.peekFirst();
  }

  /** The head was delivered. */
  void delivered() {
    queue.removeFirst();
    attempts = 0;
    counts.sent.increment();
  }

  /**
   * The head failed: milliseconds to wait before trying it again, or 0 if it was given up (and the
   * next one may be tried now).
   */
  long failedAttempt() {
    attempts++;
    if (attempts >= MAX_ATTEMPTS) {
      queue.removeFirst();
      attempts = 0;
      counts.failed.increment();
      return 0;
    }
    return Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempts - 1));
  }

  int size() {
    return queue.size();
  }
}
