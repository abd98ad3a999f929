package dev.tally.verticles.trace;

/**
 * The bounds and sampling of the trace store.
 *
 * @param maxSpans spans held at most, pending and kept
 * @param maxBytes estimated heap of the spans held at most
 * @param sampleRatio the share of traces that are neither errors nor slow that is kept, 0 to 1
 * @param slowNanos a trace at least this long is kept
 * @param decisionWaitMillis how long after its first span a trace that is not yet an error, slow or
 *     sampled waits for more spans before it is dropped
 */
public record TraceStoreOptions(
    int maxSpans, long maxBytes, double sampleRatio, long slowNanos, long decisionWaitMillis) {
  public TraceStoreOptions {
    if (maxSpans < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("maxSpans and maxBytes must be >= 1");
    }
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("sampleRatio must be in [0, 1], was " + sampleRatio);
    }
  }
}
