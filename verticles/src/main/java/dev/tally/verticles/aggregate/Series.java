package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.prometheus.PrometheusText;
import java.util.Arrays;
import java.util.Queue;

/** The aggregation state of one series. Confined to its shard's event loop. */
abstract class Series {
  private static final byte[][] NO_ALIASES = new byte[0][];
  private static final int[] NO_HASHES = new int[0];

  final SeriesKey key;
  final String help;
  final String family;
  final String labels;

  /**
   * The raw keys that name this series, and their routing hashes: usually equal, but two byte
   * sequences can decode to one key (invalid UTF-8 becomes U+FFFD) and still hash apart.
   */
  byte[][] aliases = NO_ALIASES;

  int[] aliasHashes = NO_HASHES;
  long lastSeenMillis;
  SeriesSnapshot snapshot;

  /** True for an {@code otel_metric_overflow} series, which does not count against the limit. */
  boolean overflow;

  /** True once the series has left its shard. */
  boolean removed;

  /** True while the series waits in its shard's queue for {@link #computeQuantiles()}. */
  boolean stale;

  /**
   * True while another node owns the series: what it gathers is {@link #drain drained} to the owner
   * at each tick instead of being shown here. Set by the shard at the tick.
   */
  boolean forwarding;

  /** True for the kinds a node hands to the series' owner ({@link SeriesDelta#forwardable}). */
  final boolean forwardable;

  /** The {@link Ownership#epoch()} of the last ownership answer; null before the first. */
  Object ownershipEpoch;

  Series(SeriesKey key) {
    this(key, null);
  }

  /**
   * @param help the OTLP metric's description; null or empty for none
   */
  Series(SeriesKey key, String help) {
    this.key = key;
    this.help = help == null || help.isEmpty() ? null : help;
    this.family = PrometheusText.familyName(key);
    this.labels = PrometheusText.labels(key);
    this.forwardable = SeriesDelta.forwardable(key.kind());
  }

  /** Adds StatsD sample {@code i} of {@code batch}; only StatsD kinds take them. */
  void record(SampleBatch batch, int i) {
    throw new UnsupportedOperationException(key.kind() + " series take no StatsD samples");
  }

  /**
   * Adds an OTLP point of this series' kind; only OTLP kinds take them.
   *
   * @return false if the point was ignored as stale (not newer than what the series holds)
   */
  boolean record(OtlpPoint point) {
    throw new UnsupportedOperationException(key.kind() + " series take no OTLP points");
  }

  /**
   * What the series gathered since the last drain, for the node that owns it, and forgets it; null
   * if nothing. Only the kinds {@link SeriesDelta#forwardable} are drained.
   */
  SeriesDelta drain() {
    throw new UnsupportedOperationException(key.kind() + " series are not forwarded");
  }

  /**
   * Another node owns the series from this tick on: prepares the first {@link #drain}.
   *
   * @return samples of this tick that cannot be sent (0 but for timers and distributions, whose
   *     samples went into the window)
   */
  long startForwarding() {
    return 0;
  }

  /** This node owns the series again: what it gathered for the old owner stays here. */
  void stopForwarding() {}

  /** Adds what another node gathered of this series (this node owns it). */
  void merge(SeriesDelta delta) {
    throw new UnsupportedOperationException(key.kind() + " series are not forwarded");
  }

  /** Starts a new part of a sliding window; nothing for series without one. */
  void rotate() {}

  /**
   * Puts the series in its shard's queue of series whose quantiles are out of date, once: the shard
   * clears {@link #stale} and calls {@link #computeQuantiles()} at a tick, within its budget.
   */
  final void markStale(Queue<Series> staleQueue) {
    if (!stale) {
      stale = true;
      staleQueue.add(this);
    }
  }

  /** Recomputes the quantiles of a series that marked itself stale; nothing for other series. */
  void computeQuantiles() {}

  /**
   * Closes the interval ending at {@code tickMillis}: returns the series' snapshot, the previous
   * instance if nothing changed.
   */
  abstract SeriesSnapshot tick(long tickMillis, double tickSeconds);

  void addAlias(byte[] alias, int hash) {
    int n = aliases.length;
    aliases = Arrays.copyOf(aliases, n + 1);
    aliasHashes = Arrays.copyOf(aliasHashes, n + 1);
    aliases[n] = alias;
    aliasHashes[n] = hash;
  }
}
