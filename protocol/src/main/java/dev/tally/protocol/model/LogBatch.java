package dev.tally.protocol.model;

import java.util.List;

/** The accepted log records of one OTLP request or StatsD datagram, bound for the log store. */
public final class LogBatch {
  private final List<LogEntry> entries;

  public LogBatch(List<LogEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<LogEntry> entries() {
    return entries;
  }
}
