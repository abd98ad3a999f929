package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.cluster.HeldPoints;
import dev.tally.verticles.cluster.Interval;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import java.util.Arrays;
import java.util.Queue;

/** The aggregation state of one series. Confined to its shard's event loop. */
abstract class Series {
  private static final byte[][] NO_ALIASES = new byte[0][];
  private static final int[] NO_HASHES = new int[0];

  final SeriesKey key;

  /** Its key, description, family name and labels as the snapshots show them. */
  final SeriesName name;

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

  /** How long the series may stay idle, a mapping rule's {@code ttl}; -1 for the shard's. */
  long ttlMillis = -1;

  SeriesSnapshot snapshot;

  /** True for an {@code otel_metric_overflow} series, which does not count against the limit. */
  boolean overflow;

  /** True once the series has left its shard. */
  boolean removed;

  /** True while the series waits in its shard's queue for {@link #computeQuantiles()}. */
  boolean stale;

  /**
   * While another node owns the series, what it gathers for the owner: {@link #drain drained} to it
   * at each tick instead of being shown here; null while this node owns it. Set by the shard.
   */
  Interval forward;

  /**
   * True once an OTLP series has recorded a point here: one made while another node owned it holds
   * its points for the owner, and has nothing to show until it records one.
   */
  boolean recorded;

  /** OTLP points recorded here since the last tick: what a change of owner loses of this tick. */
  int pointsSinceTick;

  /** The exemplars shown; null until the first (most series never have one). */
  private ExemplarSlots exemplars;

  Series(SeriesName name) {
    this.key = name.key();
    this.name = name;
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
    if (forward instanceof HeldPoints held) {
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
    for (Exemplar e : point.exemplars()) {
      if (exemplars == null) {
        exemplars = new ExemplarSlots(exemplarSlots());
      }
      exemplars.offer(exemplarSlot(e.value()), e);
    }
    return null;
  }

  /** The exemplars a series of this kind shows: one per bucket for histograms, else one. */
  int exemplarSlots() {
    return 1;
  }

  /** The slot of an exemplar of {@code value}: its bucket for histograms, else 0. */
  int exemplarSlot(double value) {
    return 0;
  }

  /**
   * {@link #tick} with the series' exemplars: a snapshot that shows them, made again only when they
   * changed.
   */
  final SeriesSnapshot tickWithExemplars(long tickMillis, double tickSeconds) {
    SeriesSnapshot s = tick(tickMillis, tickSeconds);
    if (exemplars != null && (exemplars.changed() || s.exemplarCount() == 0)) {
      s = s.withExemplars(exemplars.view());
      snapshot = s;
    }
    return s;
  }

  /** What the series gathered for its owner since the last drain, and forgets it; null if none. */
  final SeriesDelta drain() {
    return forward == null ? null : forward.drain(key, name.help());
  }

  /**
   * Another node owns the series from this tick on: it gathers for the owner in {@link #forward}.
   *
   * @param handOver true if this node owned the series until now (what it gathered this tick goes
   *     to the owner with the first drain), false for a series just made
   * @return samples of this tick that cannot be sent (0 but for timers and distributions, whose
   *     samples went into the window)
   */
  final long startForwarding(boolean handOver) {
    if (key.kind().isOtlp()) {
      forward = new HeldPoints();
      return 0;
    }
    forward = interval(handOver);
    return handOver ? unsent() : 0;
  }

  /** A StatsD kind's {@link #forward}; see {@link #startForwarding}. */
  Interval interval(boolean handOver) {
    throw new UnsupportedOperationException(key.kind() + " series gather no interval");
  }

  /** The samples of this tick that a new owner cannot get; see {@link #startForwarding}. */
  long unsent() {
    return 0;
  }

  /**
   * This node owns the series again: what it gathered for the old owner since the last drain stays
   * here ({@link #takeBack}).
   */
  final void owned() {
    SeriesDelta left = drain();
    forward = null;
    if (left != null) {
      takeBack(left);
    }
  }

  /**
   * Adds what this series gathered for another node and did not send: an OTLP series records the
   * points it held, the StatsD kinds {@link #merge} their interval.
   */
  void takeBack(SeriesDelta left) {
    if (left.points() == null) {
      merge(left);
      return;
    }
    for (OtlpPoint p : left.points()) {
      recordPoint(p);
    }
  }

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

  /** Forgets every raw key (the shard forgets them all, when its mapping file changes). */
  final void clearAliases() {
    alias = null;
    moreAliases = NO_ALIASES;
    moreHashes = NO_HASHES;
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
