package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.stats.DropReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
   * The first raw key that names this series, and its routing hash; null until one is added. Other
   * spellings of the same series ({@link #moreAliases}) are rare, so the usual one costs no arrays.
   */
  private byte[] alias;

  private int aliasHash;

  /**
   * The other raw keys that name this series, and their routing hashes: usually equal, but two byte
   * sequences can decode to one key (invalid UTF-8 becomes U+FFFD) and still hash apart.
   */
  private byte[][] moreAliases = NO_ALIASES;

  private int[] moreHashes = NO_HASHES;
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

  /** While forwarding, an OTLP series' points of this tick, for the owner; null if none. */
  private List<OtlpPoint> held;

  /**
   * True once an OTLP series has recorded a point here: one made while another node owned it holds
   * its points for the owner, and has nothing to show until it records one.
   */
  boolean recorded;

  /** OTLP points recorded here since the last tick: what a change of owner loses of this tick. */
  int pointsSinceTick;

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
  }

  /**
   * Adds StatsD sample {@code i} of {@code batch}; only StatsD kinds take them.
   *
   * @return false if it was refused because the series would overflow (become infinite)
   */
  boolean record(SampleBatch batch, int i) {
    throw new UnsupportedOperationException(key.kind() + " series take no StatsD samples");
  }

  /**
   * Adds an OTLP point of this series' kind; only OTLP kinds take them.
   *
   * @return null if recorded, else why not: {@link DropReason#STALE} (not newer than what the
   *     series holds) or {@link DropReason#OVERFLOW} (it would take the series to ±Inf)
   */
  DropReason record(OtlpPoint point) {
    throw new UnsupportedOperationException(key.kind() + " series take no OTLP points");
  }

  /**
   * Takes an OTLP point: recorded, or, while another node owns an OTLP series, held for it.
   *
   * @return null if taken, else why not (see {@link #record(OtlpPoint)})
   */
  final DropReason accept(OtlpPoint point) {
    if (forwarding && key.kind().isOtlp()) {
      if (held == null) {
        held = new ArrayList<>(2);
      }
      held.add(point);
      return null;
    }
    return recordPoint(point);
  }

  private DropReason recordPoint(OtlpPoint point) {
    DropReason refused = record(point);
    if (refused != null) {
      return refused;
    }
    recorded = true;
    pointsSinceTick++;
    return null;
  }

  /**
   * What the series gathered since the last drain, for the node that owns it, and forgets it; null
   * if nothing: an OTLP series' points as they came, the StatsD kinds' interval state ({@link
   * #drainInterval()}).
   */
  final SeriesDelta drain() {
    if (!key.kind().isOtlp()) {
      return drainInterval();
    }
    List<OtlpPoint> points = held;
    held = null;
    return points == null ? null : SeriesDelta.points(key, help, points);
  }

  /** A StatsD kind's {@link #drain()}. */
  SeriesDelta drainInterval() {
    throw new UnsupportedOperationException(key.kind() + " series gather no interval");
  }

  /**
   * This node owns the series again: {@link #stopForwarding()}, and an OTLP series records the
   * points it held for the old owner.
   */
  final void owned() {
    stopForwarding();
    List<OtlpPoint> points = held;
    held = null;
    if (points != null) {
      for (OtlpPoint p : points) {
        recordPoint(p);
      }
    }
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

  /**
   * Adds what another node gathered of this series (this node owns it, or passes it on); OTLP
   * points are taken by the shard one by one ({@link #accept(OtlpPoint)}).
   */
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

  void addAlias(byte[] raw, int hash) {
    if (alias == null) {
      alias = raw;
      aliasHash = hash;
      return;
    }
    int n = moreAliases.length;
    moreAliases = Arrays.copyOf(moreAliases, n + 1);
    moreHashes = Arrays.copyOf(moreHashes, n + 1);
    moreAliases[n] = raw;
    moreHashes[n] = hash;
  }

  /** The raw keys that name this series. */
  final int aliasCount() {
    return alias == null ? 0 : 1 + moreAliases.length;
  }

  /** Raw key {@code i} of {@link #aliasCount()}. */
  final byte[] alias(int i) {
    return i == 0 ? alias : moreAliases[i - 1];
  }

  /** The routing hash of {@link #alias(int) alias(i)}. */
  final int aliasHash(int i) {
    return i == 0 ? aliasHash : moreHashes[i - 1];
  }
}
