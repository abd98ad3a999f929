package dev.tally.verticles.trace;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The trace store's counters and gauges, written by the store's owner, read by {@code /metrics}.
 */
public final class TraceStoreStats {
  final AtomicLong spans = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong traces = new AtomicLong();
  final LongAdder spansEvicted = new LongAdder();
  final LongAdder tracesEvicted = new LongAdder();
  final LongAdder spansSampledOut = new LongAdder();
  final LongAdder tracesSampledOut = new LongAdder();
  final LongAdder[] tracesKept = {new LongAdder(), new LongAdder(), new LongAdder()};

  /** Spans held now. */
  public long spans() {
    return spans.get();
  }

  /** Estimated heap of the spans held now. */
  public long bytes() {
    return bytes.get();
  }

  /** Traces held now, undecided and kept. */
  public long traces() {
    return traces.get();
  }

  /** Spans evicted to stay within the bounds, oldest trace first. */
  public long spansEvicted() {
    return spansEvicted.sum();
  }

  public long tracesEvicted() {
    return tracesEvicted.sum();
  }

  /** Spans of traces dropped because they were neither errors, slow nor sampled. */
  public long spansSampledOut() {
    return spansSampledOut.sum();
  }

  public long tracesSampledOut() {
    return tracesSampledOut.sum();
  }

  /** Traces kept, by why. */
  public long tracesKept(KeepReason reason) {
    return tracesKept[reason.ordinal()].sum();
  }

  /** Why a trace is kept; the first that holds. */
  public enum KeepReason {
    ERROR,
    SLOW,
    SAMPLED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
