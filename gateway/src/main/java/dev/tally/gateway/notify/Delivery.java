package dev.tally.gateway.notify;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded queue of bodies for one receiver, delivered one at a time, in order, each retried with
 * exponential backoff: the first retry after {@link #FIRST_BACKOFF_MILLIS}, doubling up to {@link
 * #MAX_BACKOFF_MILLIS}, at most {@link #MAX_ATTEMPTS} attempts (0.5, 1, 2, 4, 8, 16, 30, 30, 30 s
 * apart: a receiver may be away for about two minutes). A full queue drops its oldest body waiting
 * behind the head. Logic only; one owner (the notifier verticle).
 */
public final class Delivery {
  static final long FIRST_BACKOFF_MILLIS = 500;
  static final long MAX_BACKOFF_MILLIS = 30_000;
  static final int MAX_ATTEMPTS = 10;

  private final int capacity;
  private final Counts counts;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private int attempts; // of the head

  Delivery(int capacity, Counts counts) {
    this.capacity = capacity;
    this.counts = counts;
  }

  /** A receiver's delivered, given-up and dropped bodies; read by any thread. */
  public static final class Counts implements MeterBinder {
    private final String receiver;
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dropped = new LongAdder();

    /**
     * @param receiver its label: {@code webhook} or {@code alertmanager}
     */
    public Counts(String receiver) {
      this.receiver = receiver;
    }

    @Override
    public void bindTo(MeterRegistry r) {
      String[] results = {"sent", "failed", "dropped"};
      LongAdder[] counts = {sent, failed, dropped};
      for (int i = 0; i < results.length; i++) {
        SelfMeters.counter(
            r,
            "tally_alert_deliveries_total",
            "Alert notification bodies by receiver: sent, failed (given up after retries), dropped (queue full).",
            counts[i],
            LongAdder::sum,
            "receiver",
            receiver,
            "result",
            results[i]);
      }
    }

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

  /**
   * Queues a body; if full, drops the oldest one waiting behind the head (the head may be on its
   * way to the receiver).
   */
  void offer(String body) {
    if (queue.size() == capacity) {
      counts.dropped.increment();
      if (capacity == 1) {
        return; // the head may be on its way: the new body goes
      }
      String head = queue.removeFirst();
      queue.removeFirst();
      queue.addFirst(head);
    }
    queue.addLast(body);
  }

  /**
   * Queues a body that supersedes every body waiting behind the head (each is a receiver's whole
   * state, as Alertmanager's are): they are dropped unsent, not counted as lost.
   */
  void replaceWaiting(String body) {
    String head = queue.pollFirst();
    queue.clear();
    if (head != null) {
      queue.addFirst(head);
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
