package dev.tally.protocol.model;

import java.util.Collections;
import java.util.List;

/** The accepted spans of one OTLP request, bound for the trace store. Immutable. */
public final class SpanBatch {
  private final List<TraceSpan> spans;
  private final long bytes;

  /**
   * @param spans the spans; the batch takes the list, which the caller no longer touches
   */
  public SpanBatch(List<TraceSpan> spans) {
    this.spans = Collections.unmodifiableList(spans);
    long b = 0;
    for (TraceSpan s : this.spans) {
      b += s.estimatedBytes();
    }
    this.bytes = b;
  }

  public List<TraceSpan> spans() {
    return spans;
  }

  /** The estimated heap of the spans. */
  public long bytes() {
    return bytes;
  }
}
