package dev.tally.verticles.query;

/**
 * How far queries may go.
 *
 * @param maxSamples samples one query may read from the history
 * @param maxPoints step values one query may make in all (the default is Prometheus' {@code
 *     query.max-samples}, which counts those held at once: Tally's bound is the stricter)
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
