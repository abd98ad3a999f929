package dev.tally.verticles.stats;

/** How StatsD lines arrive: the {@code transport} label of the per-transport StatsD counters. */
public enum StatsdTransport {
  /** Datagrams on the UDP port. */
  UDP("udp"),
  /** Newline-framed lines on TCP connections ({@code statsd-tcp-port}). */
  TCP("tcp"),
  /** Datagrams on a Unix datagram socket ({@code statsd-unix-socket}), as DogStatsD sends them. */
  UNIX("unix");

  private final String label;

  StatsdTransport(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
