package dev.tally.verticles.query;

/**
 * How far queries may go.
 *
 * @param maxSamples samples one query may read from the history ({@code --query-max-samples})
 * @param maxPoints step values one query may hold at once, as Prometheus' {@code query.max-samples}
 *     bounds them
 * @param timeoutMillis time one query may take ({@code --query-timeout}); less if the request asks
 * @param lookbackMillis how far back a selector looks for a series' latest sample (5 minutes)
 */
public record QueryLimits(
    long maxSamples, long maxPoints, long timeoutMillis, long lookbackMillis) {
  /** Prometheus' lookback: a sample counts for 5 minutes. */
  public static final long LOOKBACK_MILLIS = 300_000;

  /** The most steps a range query may have (Prometheus': 11 000). */
  public static final int MAX_STEPS = 11_000;
}
