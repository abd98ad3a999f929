package dev.tally.verticles.trace;

import dev.tally.protocol.model.TraceSpan;
import dev.tally.verticles.trace.TraceStoreStats.KeepReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Spans grouped by trace, bounded by a span count and an estimated byte size. Logic only, single
 * thread (the {@link TraceStoreVerticle}'s), time passed in.
 *
 * <p>A trace is kept if it has an error span, lasts at least the slow threshold, or its id falls in
 * the sample ratio (the lower 8 bytes of the id, as OpenTelemetry's {@code TraceIdRatioBased}
 * sampler decides, so every node and every batch agrees). Spans wait as a pending trace until the
 * decision wait after the first of them has passed, for later spans that may make the trace an
 * error or slow; a pending trace that qualifies already is shown by queries at once. When a bound
 * is passed, whole traces are evicted oldest first (kept traces before pending ones) and counted.
 */
public final class TraceStore {
  private final TraceStoreOptions options;
  private final TraceStoreStats stats;
  private final Map<TraceKey, StoredTrace> byId = new HashMap<>();
  private final ArrayDeque<StoredTrace> pending = new ArrayDeque<>(); // by first span
  private final ArrayDeque<StoredTrace> kept = new ArrayDeque<>(); // by decision
  private final long sampleBound;
  private long spans;
  private long bytes;

  public TraceStore(TraceStoreOptions options, TraceStoreStats stats) {
    this.options = options;
    this.stats = stats;
    this.sampleBound = (long) (options.sampleRatio() * Long.MAX_VALUE);
  }

  /** Adds spans received at {@code nowMillis}, then evicts as the bounds require. */
  public void add(List<TraceSpan> batch, long nowMillis) {
    for (TraceSpan span : batch) {
      TraceKey key = new TraceKey(span.traceIdHigh(), span.traceIdLow());
      StoredTrace trace = byId.get(key);
      if (trace == null) {
        trace = new StoredTrace(key, nowMillis);
        byId.put(key, trace);
        pending.add(trace);
        bytes += trace.bytes;
      }
      long before = trace.bytes;
      trace.add(span, span.estimatedBytes());
      bytes += trace.bytes - before;
      spans++;
    }
    while ((spans > options.maxSpans() || bytes > options.maxBytes()) && !byId.isEmpty()) {
      StoredTrace oldest = kept.isEmpty() ? pending.poll() : kept.poll();
      remove(oldest);
      stats.tracesEvicted.increment();
      stats.spansEvicted.add(oldest.spans.size());
    }
    publishGauges();
  }

  /**
   * Decides the pending traces whose decision wait has passed at {@code nowMillis}: kept, or
   * dropped and counted as sampled out.
   */
  public void decide(long nowMillis) {
    while (!pending.isEmpty()
        && pending.peek().firstSeenMillis + options.decisionWaitMillis() <= nowMillis) {
      StoredTrace t = pending.poll();
      KeepReason reason = keepReason(t);
      if (reason != null) {
        t.kept = true;
        kept.add(t);
        stats.tracesKept[reason.ordinal()].increment();
      } else {
        remove(t);
        stats.tracesSampledOut.increment();
        stats.spansSampledOut.add(t.spans.size());
      }
    }
    publishGauges();
  }

  /**
   * The traces that match, newest start first (then last seen first): kept ones and pending ones
   * that will be kept.
   */
  public List<StoredTrace> query(TraceQuery q) {
    List<StoredTrace> out = new ArrayList<>();
    collect(kept, q, out);
    collect(pending, q, out);
    out.sort(
        (a, b) ->
            a.startNanos != b.startNanos
                ? Long.compare(b.startNanos, a.startNanos)
                : Long.compare(b.firstSeenMillis, a.firstSeenMillis));
    return out.size() > q.limit() ? out.subList(0, q.limit()) : out;
  }

  /** The trace of an id if it is kept or will be; null otherwise. */
  public StoredTrace get(long high, long low) {
    StoredTrace t = byId.get(new TraceKey(high, low));
    return t != null && (t.kept || keepReason(t) != null) ? t : null;
  }

  private void collect(ArrayDeque<StoredTrace> traces, TraceQuery q, List<StoredTrace> out) {
    for (Iterator<StoredTrace> it = traces.descendingIterator(); it.hasNext(); ) {
      StoredTrace t = it.next();
      if ((t.kept || keepReason(t) != null) && q.matches(t)) {
        out.add(t);
      }
    }
  }

  /** Why the trace is kept, or null if it is not (yet). */
  KeepReason keepReason(StoredTrace t) {
    if (t.errors > 0) {
      return KeepReason.ERROR;
    }
    if (t.durationNanos() >= options.slowNanos()) {
      return KeepReason.SLOW;
    }
    boolean sampled = options.sampleRatio() >= 1 || (t.key.low() & Long.MAX_VALUE) < sampleBound;
    return sampled ? KeepReason.SAMPLED : null;
  }

  private void remove(StoredTrace t) {
    byId.remove(t.key);
    spans -= t.spans.size();
    bytes -= t.bytes;
  }

  private void publishGauges() {
    stats.spans.set(spans);
    stats.bytes.set(bytes);
    stats.traces.set(byId.size());
  }
}
