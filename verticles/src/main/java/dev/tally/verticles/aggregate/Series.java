package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.PrometheusText;
import java.util.Arrays;

/** The aggregation state of one series. Confined to its shard's event loop. */
abstract class Series {
  private static final byte[][] NO_ALIASES = new byte[0][];
  private static final int[] NO_HASHES = new int[0];

  final SeriesKey key;
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

  void addAlias(byte[] alias, int hash) {
    int n = aliases.length;
    aliases = Arrays.copyOf(aliases, n + 1);
    aliasHashes = Arrays.copyOf(aliasHashes, n + 1);
    aliases[n] = alias;
    aliasHashes[n] = hash;
  }
}
