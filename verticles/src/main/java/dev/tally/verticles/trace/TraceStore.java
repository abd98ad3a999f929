package dev.tally.verticles.trace;

import dev.tally.protocol.model.TraceKeeping;
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
 * <p>A trace is kept as soon as it has an error span, lasts at least the slow threshold, or its id
 * falls in the sample ratio (decided on the lower 8 bytes of the id as OpenTelemetry's {@code
 * TraceIdRatioBased} sampler decides, so that an SDK sampling at the same ratio keeps the same
 * traces). Any other trace is undecided: it waits for later spans that may make it an error or slow
 * until the decision wait after its first span has passed, then it is dropped and counted. When a
 * bound is passed, whole traces are evicted oldest first, undecided ones before kept ones (an
 * undecided trace is most likely to be dropped anyway), and counted.
 */
public final class TraceStore {
  private final TraceStoreOptions options;
  private final TraceStoreStats stats;
  private final Map<TraceKey, StoredTrace> byId = new HashMap<>();

  /** Traces by first span; those kept since are skipped when they come up. */
  private final ArrayDeque<StoredTrace> undecided = new ArrayDeque<>();

  /** Kept traces, in the order they were kept. */
  private final ArrayDeque<StoredTrace> kept = new ArrayDeque<>();

  private final TraceKeeping keeping;
  private long spans;
  private long bytes;

  /** Spans of kept traces since the last {@link #takeKept}; null unless collected. */
  private List<TraceSpan> newlyKept;

  public TraceStore(TraceStoreOptions options, TraceStoreStats stats) {
    this.options = new TraceStoreOptions(options); // a copy: options are mutable
    this.stats = stats;
    this.keeping = options.keeping();
  }

  /** Adds spans received at {@code nowMillis}, then evicts as the bounds require. */
  public void add(List<TraceSpan> batch, long nowMillis) {
    for (TraceSpan span : batch) {
      TraceKey key = new TraceKey(span.traceIdHigh(), span.traceIdLow());
      StoredTrace trace = byId.get(key);
      if (trace == null) {
        trace = new StoredTrace(key, nowMillis);
        byId.put(key, trace);
        undecided.add(trace);
        bytes += trace.bytes;
      }
      long before = trace.bytes;
      trace.add(span, span.estimatedBytes());
      bytes += trace.bytes - before;
      spans++;
      if (!trace.kept) {
        KeepReason reason = keepReason(trace);
        if (reason != null) {
          trace.kept = true; // its place in undecided is skipped when it comes up
          kept.add(trace);
          stats.tracesKept[reason.ordinal()].increment();
          if (newlyKept != null) {
            newlyKept.addAll(trace.spans);
          }
        }
      } else if (newlyKept != null) {
        newlyKept.add(span);
      }
    }
    while ((spans > options.getMaxSpans() || bytes > options.getMaxBytes()) && !byId.isEmpty()) {
      StoredTrace oldest = oldestUndecided();
      if (oldest == null) {
        oldest = kept.poll();
      }
      remove(oldest);
      stats.tracesEvicted.increment();
      stats.spansEvicted.add(oldest.spans.size());
    }
    publishGauges();
  }

  /**
   * Collects the spans of kept traces for {@link #takeKept}: every span of a trace when it is kept,
   * and each later one.
   */
  public void collectKept() {
    if (newlyKept == null) {
      newlyKept = new ArrayList<>();
    }
  }

  /** The spans kept since the last call (see {@link #collectKept}); empty if none or not asked. */
  public List<TraceSpan> takeKept() {
    if (newlyKept == null || newlyKept.isEmpty()) {
      return List.of();
    }
    List<TraceSpan> out = newlyKept;
    newlyKept = new ArrayList<>();
    return out;
  }

  /**
   * Drops the undecided traces whose decision wait has passed at {@code nowMillis}, counted as
   * sampled out.
   */
  public void decide(long nowMillis) {
    for (StoredTrace t = skipDecided();
        t != null && t.firstSeenMillis + options.getDecisionWaitMillis() <= nowMillis;
        t = skipDecided()) {
      undecided.poll();
      remove(t);
      stats.tracesSampledOut.increment();
      stats.spansSampledOut.add(t.spans.size());
    }
    publishGauges();
  }

  /** The kept traces that match, newest start first (then last kept first). */
  public List<StoredTrace> query(TraceQuery q) {
    List<StoredTrace> out = new ArrayList<>();
    for (Iterator<StoredTrace> it = kept.descendingIterator(); it.hasNext(); ) {
      StoredTrace t = it.next();
      if (q.matches(t)) {
        out.add(t);
      }
    }
    out.sort((a, b) -> Long.compare(b.startNanos, a.startNanos)); // stable: ties keep kept order
    return out.size() > q.limit() ? out.subList(0, q.limit()) : out;
  }

  /** The trace of an id if it is kept; null otherwise. */
  public StoredTrace get(long high, long low) {
    StoredTrace t = byId.get(new TraceKey(high, low));
    return t != null && t.kept ? t : null;
  }

  /** The oldest undecided trace, taken out of the queue; null if there is none. */
  private StoredTrace oldestUndecided() {
    StoredTrace t = skipDecided();
    return t == null ? null : undecided.poll();
  }

  /**
   * Drops the traces kept since they were queued from the head of the queue; returns the head (a
   * trace leaves the store only from the head of this queue or, once kept, from the kept queue).
   */
  private StoredTrace skipDecided() {
    StoredTrace t = undecided.peek();
    while (t != null && t.kept) {
      undecided.poll();
      t = undecided.peek();
    }
    return t;
  }

  /** Why the trace is kept, or null if it is not (yet). */
  KeepReason keepReason(StoredTrace t) {
    if (t.errors > 0) {
      return KeepReason.ERROR;
    }
    if (keeping.slow(t.durationNanos())) {
      return KeepReason.SLOW;
    }
    return keeping.sampled(t.key.low()) ? KeepReason.SAMPLED : null;
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
