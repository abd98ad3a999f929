package dev.tally.protocol.statsd;

import dev.tally.protocol.model.RejectReason;

/**
 * Line counts of one parser. Single writer: only the thread that parses touches it; another thread
 * reads it only through {@link #drainTo}, called on the parsing thread.
 */
public final class ParseStats {
  private static final RejectReason[] REASONS = RejectReason.values();

  private final long[] rejected = new long[REASONS.length];
  private long accepted;
  private long samples;
  private long events;
  private long serviceChecks;

  /** Lines accepted: metric lines, events and service checks. */
  public long accepted() {
    return accepted;
  }

  /** Samples emitted (a multi-value line gives several). */
  public long samples() {
    return samples;
  }

  public long events() {
    return events;
  }

  public long serviceChecks() {
    return serviceChecks;
  }

  public long rejected(RejectReason reason) {
    return rejected[reason.ordinal()];
  }

  /** The sum of rejected lines over every reason. */
  public long rejectedTotal() {
    long sum = 0;
    for (long r : rejected) {
      sum += r;
    }
    return sum;
  }

  /** Adds these counts to {@code target} and resets them to zero. */
  public void drainTo(Target target) {
    target.add(accepted, samples, events, serviceChecks);
    for (int i = 0; i < rejected.length; i++) {
      if (rejected[i] != 0) {
        target.addRejected(REASONS[i], rejected[i]);
        rejected[i] = 0;
      }
    }
    accepted = samples = events = serviceChecks = 0;
  }

  void accept(int sampleCount) {
    accepted++;
    samples += sampleCount;
  }

  void event() {
    accepted++;
    events++;
  }

  void serviceCheck() {
    accepted++;
    serviceChecks++;
  }

  void reject(RejectReason reason) {
    rejected[reason.ordinal()]++;
  }

  /** Where {@link #drainTo} puts the counts, e.g. process-wide counters. */
  public interface Target {
    void add(long acceptedLines, long samples, long events, long serviceChecks);

    void addRejected(RejectReason reason, long lines);
  }
}
