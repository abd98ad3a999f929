package dev.tally.verticles.trace;

import dev.tally.protocol.model.Pairs;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.protocol.otlp.ServiceJob;
import java.util.ArrayList;
import java.util.List;

/** The spans of one trace in the store. Confined to the store's thread. */
final class StoredTrace {
  /** Heap of the trace beyond its spans: this object, its list, its map entry and key. */
  static final long OVERHEAD_BYTES = 160;

  final TraceKey key;
  final long firstSeenMillis;
  final List<TraceSpan> spans = new ArrayList<>(4);
  long startNanos = Long.MAX_VALUE;
  long endNanos = Long.MIN_VALUE;
  int errors;
  long bytes = OVERHEAD_BYTES;
  boolean kept;

  StoredTrace(TraceKey key, long firstSeenMillis) {
    this.key = key;
    this.firstSeenMillis = firstSeenMillis;
  }

  void add(TraceSpan span, long spanBytes) {
    spans.add(span);
    bytes += spanBytes + 4;
    startNanos = Math.min(startNanos, span.startNanos());
    endNanos = Math.max(endNanos, span.endNanos());
    if (span.error()) {
      errors++;
    }
  }

  long durationNanos() {
    return endNanos - startNanos;
  }

  /**
   * The span that names the trace: the earliest span without a parent, else the earliest span whose
   * parent is not here (the trace's root has not arrived).
   */
  TraceSpan root() {
    TraceSpan best = null;
    boolean bestIsRoot = false;
    for (TraceSpan s : spans) {
      boolean isRoot = s.parentSpanId() == 0;
      if (best == null
          || (isRoot && !bestIsRoot)
          || (isRoot == bestIsRoot && s.startNanos() < best.startNanos())) {
        best = s;
        bestIsRoot = isRoot;
      }
    }
    return best;
  }

  /**
   * True if a span's service is {@code service}: its {@code service.name}, or {@code
   * service.namespace/service.name}, the {@code job} label its metrics carry.
   */
  boolean hasService(String service) {
    for (TraceSpan s : spans) {
      if (s.service().equals(service)
          || ServiceJob.is(service, s.service(), Pairs.value(s.resource(), ServiceJob.NAMESPACE))) {
        return true;
      }
    }
    return false;
  }
}
