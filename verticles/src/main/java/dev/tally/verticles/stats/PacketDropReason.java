package dev.tally.verticles.stats;

/** Why a whole StatsD datagram was dropped before it was parsed. */
public enum PacketDropReason {
  /** The sender is not in {@code statsd-allow}. */
  SOURCE_NOT_ALLOWED("source_not_allowed"),
  /** The heap guard refuses ingest. */
  MEMORY_LIMIT("memory_limit");

  private final String label;

  PacketDropReason(String label) {
    this.label = label;
  }

  /** The {@code reason} label of {@code tally_statsd_packets_dropped_total}. */
  public String label() {
    return label;
  }
}
