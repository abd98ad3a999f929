package dev.tally.protocol.otlp;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.Hashes;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.statsd.StatsdKeys;

/**
 * One mapped OTLP data point: the series it belongs to (its Prometheus identity) and its values.
 * Immutable; subclasses carry the values of each point type.
 */
public abstract class OtlpPoint {
  private final SeriesKey key;
  private final String help;
  private final long startNanos;
  private final long timeNanos;
  private Exemplar[] exemplars = NO_EXEMPLARS;

  private static final Exemplar[] NO_EXEMPLARS = new Exemplar[0];

  OtlpPoint(SeriesKey key, String help, long startNanos, long timeNanos) {
    this.key = key;
    this.help = help;
    this.startNanos = startNanos;
    this.timeNanos = timeNanos;
  }

  /** The series: an OTLP kind, the Prometheus name and the labels. */
  public SeriesKey key() {
    return key;
  }

  /** The metric's description, for {@code # HELP}; may be empty. */
  public String help() {
    return help;
  }

  /** The start of a cumulative or delta point's interval, epoch nanoseconds; 0 if unknown. */
  public long startNanos() {
    return startNanos;
  }

  /** The time of the point, epoch nanoseconds; 0 if unknown. */
  public long timeNanos() {
    return timeNanos;
  }

  /** The point's exemplars (those with a trace id); empty if none. Do not modify. */
  public Exemplar[] exemplars() {
    return exemplars;
  }

  /** Gives the point its exemplars, before it is handed on; returns it. */
  OtlpPoint withExemplars(Exemplar[] exemplars) {
    this.exemplars = exemplars;
    return this;
  }

  /**
   * True if the point belongs to a cumulative stream whose value counts from the stream's start (a
   * cumulative monotonic Sum or histogram): such points cannot be merged with those of other
   * streams.
   */
  public abstract boolean cumulativeStream();

  /**
   * An upper estimate of the heap this point holds (compressed references): the point, its key and
   * label strings as if none were shared, and {@link #valueBytes()}. It bounds the OTLP points that
   * wait for the shards; it is not exact.
   */
  public long estimatedBytes() {
    return OBJECT_BYTES
        + key.estimatedBytes()
        + valueBytes()
        + (long) EXEMPLAR_BYTES * exemplars.length;
  }

  /** Heap of one exemplar and its reference. */
  static final int EXEMPLAR_BYTES = 56;

  /** Heap of a point object itself, its key and values not included. */
  public static final int OBJECT_BYTES = 48;

  /** Heap of the values beyond the point's own fields (bucket and quantile arrays). */
  public long valueBytes() {
    return 0;
  }

  /**
   * The routing hash: equal keys have equal hashes. A point of a StatsD kind (span RED metrics)
   * hashes as the lines of its series do, so that both reach the same shard.
   */
  public int routingHash() {
    return routingHash(key);
  }

  /**
   * The shard routing hash of a series: that of its OTLP points, or, for a StatsD kind, that of its
   * lines.
   */
  public static int routingHash(SeriesKey key) {
    return key.kind().isOtlp() ? Hashes.mix(key.hashCode()) : StatsdKeys.routingHash(key);
  }
}
