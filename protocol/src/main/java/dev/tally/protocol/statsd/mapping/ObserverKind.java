package dev.tally.protocol.statsd.mapping;

/** How a mapped timer or distribution is exposed ({@code observer_type}). */
public enum ObserverKind {
  /** Quantiles over a sliding window, {@code _sum} and {@code _count}. */
  SUMMARY,
  /** Cumulative {@code _bucket{le}}, {@code _sum} and {@code _count}. */
  HISTOGRAM
}
