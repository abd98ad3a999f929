package dev.tally.verticles.trace;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The trace store's counters and gauges, written by the store's owner, bound to {@code /metrics} as
 * meters.
 */
public final class TraceStoreStats implements MeterBinder {
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

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(
        r,
        "tally_trace_store_traces",
        "Traces the trace store holds, kept and waiting for their decision.",
        traces);
    SelfMeters.gauge(r, "tally_trace_store_spans", "Spans the trace store holds.", spans);
    SelfMeters.gauge(
        r, "tally_trace_store_bytes", "Estimated heap of the spans the trace store holds.", bytes);
    SelfMeters.counter(
        r,
        "tally_trace_store_evicted_spans_total",
        "Spans evicted from the trace store at its span or byte bound, oldest traces first.",
        spansEvicted);
    SelfMeters.counter(
        r,
        "tally_trace_store_evicted_traces_total",
        "Traces evicted from the trace store at its span or byte bound, oldest first.",
        tracesEvicted);
    SelfMeters.counter(
        r,
        "tally_trace_store_sampled_out_spans_total",
        "Spans of traces dropped because they were neither errors, slow nor sampled.",
        spansSampledOut);
    SelfMeters.counters(
        r,
        "tally_trace_store_kept_traces_total",
        "Traces kept by the trace store, by reason (error, slow, sampled).",
        "reason",
        KeepReason.values(),
        KeepReason::label,
        this::tracesKept);
    SelfMeters.counter(
        r,
        "tally_trace_store_sampled_out_traces_total",
        "Traces dropped because they were neither errors, slow nor sampled.",
        tracesSampledOut);
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
