package dev.tally.protocol.model;

/**
 * A sample that stands for others, with the trace and span it was taken in: an OTLP point's
 * exemplar, or a span's duration for the span RED histogram. Shown with the bucket (or counter) it
 * belongs to, as OpenMetrics and Prometheus' protobuf format carry exemplars, so that a latency on
 * a chart opens its trace. Immutable.
 */
public final class Exemplar {
  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final double value;
  private final long epochMillis;
  private final boolean kept;

  /**
   * @param value in the unit the series is exposed in (seconds for span durations)
   * @param kept true if Tally's trace store keeps (or will keep) its trace, so that its link opens
   */
  public Exemplar(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      double value,
      long epochMillis,
      boolean kept) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.value = value;
    this.epochMillis = epochMillis;
    this.kept = kept;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  /** The 32-digit hex trace id. */
  public String traceId() {
    return TraceIds.hex(traceIdHigh, traceIdLow);
  }

  /** The 16-digit hex span id; empty if none. */
  public String spanIdHex() {
    return TraceIds.hex(spanId);
  }

  public double value() {
    return value;
  }

  /** When it was recorded, epoch milliseconds; 0 if unknown. */
  public long epochMillis() {
    return epochMillis;
  }

  /** True if Tally's trace store keeps its trace. */
  public boolean kept() {
    return kept;
  }

  /**
   * True if this exemplar should take the place of {@code held} (null for none): a newer one does,
   * unless only the one held links to a trace Tally keeps.
   */
  public boolean replaces(Exemplar held) {
    return held == null || kept || !held.kept;
  }
}
