package dev.tally.gateway.notify;

import java.util.ArrayDeque;

/**
 * A bounded queue of bodies for one receiver, delivered one at a time, in order, each retried with
 * exponential backoff: the first retry after {@link #FIRST_BACKOFF_MILLIS}, doubling up to {@link
 * #MAX_BACKOFF_MILLIS}, at most {@link #MAX_ATTEMPTS} attempts. A full queue drops its oldest body.
 * Logic only; one owner (the notifier verticle).
 */
final class Delivery {
  static final long FIRST_BACKOFF_MILLIS = 500;
  static final long MAX_BACKOFF_MILLIS = 30_000;
  static final int MAX_ATTEMPTS = 6;

  private final int capacity;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int attempts; // of the head
  long sent;
  long failed;
  long dropped;

  Delivery(int capacity) {
    this.capacity = capacity;
  }

  /** Queues a body; drops the oldest if full. */
  void offer(String body) {
    if (queue.size() == capacity) {
      queue.removeFirst();
      attempts = 0;
      dropped++;
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
    sent++;
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
      failed++;
      return 0;
    }
    return Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempts - 1));
  }

  int size() {
    return queue.size();
  }
}
