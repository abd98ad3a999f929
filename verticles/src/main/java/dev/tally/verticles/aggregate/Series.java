package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.PrometheusText;

/** The aggregation state of one series. Confined to its shard's event loop. */
abstract class Series {
  private static final byte[][] NO_ALIASES = new byte[0][];

  final SeriesKey key;
  final String family;
  final String labels;

  /** The raw keys that name this series; all have the same routing hash, {@link #rawHash}. */
  byte[][] aliases = NO_ALIASES;

  int rawHash;
  long lastSeenMillis;
  SeriesSnapshot snapshot;

  /** True for an {@code otel_metric_overflow} series, which does not count against the limit. */
  boolean overflow;

  /** True once the series has left its shard. */
  boolean removed;

  Series(SeriesKey key) {
    this.key = key;
    this.family = PrometheusText.familyName(key);
    this.labels = PrometheusText.labels(key);
  }

  /** Adds sample {@code i} of {@code batch}. */
  abstract void record(SampleBatch batch, int i);

  /**
   * Closes the interval ending at {@code tickMillis}: returns the series' snapshot, the previous
   * instance if nothing changed.
   */
  abstract SeriesSnapshot tick(long tickMillis, double tickSeconds);

  void addAlias(byte[] alias) {
    byte[][] a = java.util.Arrays.copyOf(aliases, aliases.length + 1);
    a[aliases.length] = alias;
    aliases = a;
  }
}
