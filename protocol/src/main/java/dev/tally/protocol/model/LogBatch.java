package dev.tally.protocol.model;

import java.util.List;

/** The accepted log records of one OTLP request or StatsD datagram, bound for the log store. */
public final class LogBatch {
  private final List<LogEntry> entries;
  private final long bytes;

  public LogBatch(List<LogEntry> entries) {
    this.entries = List.copyOf(entries);
    long b = 0;
    for (LogEntry e : this.entries) {
      b += e.estimatedBytes();
    }
    this.bytes = b;
  }

  /** The estimated heap of the records. */
  public long bytes() {
    return bytes;
  }

  public List<LogEntry> entries() {
    return entries;
  }
}
