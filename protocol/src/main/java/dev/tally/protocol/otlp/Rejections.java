package dev.tally.protocol.otlp;

/**
 * The items (points, spans or log records) of one request that were rejected: how many, why, and
 * the message of the response's {@code partial_success} (the first few problems, then how many
 * more). Confined to one thread.
 */
public final class Rejections {
  static final int MAX_MESSAGES = 3;

  private final long[] byReason = new long[OtlpRejectReason.values().length];
  private final StringBuilder message = new StringBuilder();
  private long points;
  private int problems;

  /** Records {@code count} points rejected for {@code reason}; {@code detail} says which. */
  public void add(OtlpRejectReason reason, long count, String detail) {
    if (count <= 0) {
      return;
    }
    byReason[reason.ordinal()] += count;
    points += count;
    if (problems++ < MAX_MESSAGES) {
      if (message.length() > 0) {
        message.append("; ");
      }
      message.append(detail);
    }
  }

  /** Rejected items (points, spans or log records) over every reason. */
  public long points() {
    return points;
  }

  public long points(OtlpRejectReason reason) {
    return byReason[reason.ordinal()];
  }

  /** The {@code error_message} of the partial success; empty if nothing was rejected. */
  public String message() {
    if (problems <= MAX_MESSAGES) {
      return message.toString();
    }
    return message + "; and " + (problems - MAX_MESSAGES) + " more problem(s)";
  }
}
