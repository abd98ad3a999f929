package dev.tally.protocol.model;

/**
 * Which traces the trace store keeps: those with an error span, those that last at least the slow
 * threshold, and those whose id falls in the sample ratio, decided on the lower 8 bytes of the id
 * as OpenTelemetry's {@code TraceIdRatioBased} sampler decides (so that an SDK sampling at the same
 * ratio keeps the same traces). Known from one span at ingest, so that span exemplars can point at
 * traces that will be there. Immutable.
 */
public final class TraceKeeping {
  private final long slowNanos;
  private final long sampleBound;

  /**
   * @param sampleRatio from 0 (none sampled) to 1 (all)
   */
  public TraceKeeping(long slowNanos, double sampleRatio) {
    this.slowNanos = slowNanos;
    this.sampleBound =
        sampleRatio <= 0
            ? Long.MIN_VALUE
            : sampleRatio >= 1 ? Long.MAX_VALUE : (long) (sampleRatio * Long.MAX_VALUE);
  }

  /** True if a trace that lasts {@code nanos} is slow. */
  public boolean slow(long nanos) {
    return nanos >= slowNanos;
  }

  /** True if the trace of id {@code (high, traceIdLow)} is in the sample. */
  public boolean sampled(long traceIdLow) {
    return Math.abs(traceIdLow) < sampleBound;
  }

  /** True if the trace of {@code span} is kept, whatever its other spans are. */
  public boolean keeps(TraceSpan span) {
    return span.error() || slow(span.durationNanos()) || sampled(span.traceIdLow());
  }
}
