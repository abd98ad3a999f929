package dev.tally.protocol.otlp;

import java.util.Set;

/**
 * Why an OTLP data point, span or log record was rejected: the {@code reason} of {@code
 * tally_otlp_points_rejected_total}, {@code tally_otlp_spans_rejected_total} and {@code
 * tally_otlp_log_records_rejected_total}. Rejected items are reported in the response's {@code
 * partial_success}; the items beside them are kept.
 */
public enum OtlpRejectReason {
  /** The metric or span has no name. */
  MISSING_NAME("missing_name", OtlpSignal.METRICS, OtlpSignal.TRACES),
  /** A Sum, Histogram or ExponentialHistogram with unspecified aggregation temporality. */
  NO_TEMPORALITY("no_temporality", OtlpSignal.METRICS),
  /** A number point without a value. */
  NO_VALUE("no_value", OtlpSignal.METRICS),
  /**
   * A monotonic Sum with a negative or non-finite value, a delta Sum or a histogram sum that is not
   * finite: each would make a running total wrong for good.
   */
  BAD_VALUE("bad_value", OtlpSignal.METRICS),
  /**
   * Histogram bucket counts that do not fit the bounds, or bounds that are not finite and strictly
   * increasing.
   */
  BAD_BUCKETS("bad_buckets", OtlpSignal.METRICS),
  /** A negative count (a uint64 above 2^63), or bucket counts that do not add up to the count. */
  BAD_COUNT("bad_count", OtlpSignal.METRICS),
  /** An exponential histogram scale outside [-10, 20]. */
  BAD_SCALE("bad_scale", OtlpSignal.METRICS),
  /** A summary quantile outside [0, 1]. */
  BAD_QUANTILE("bad_quantile", OtlpSignal.METRICS),
  /** A span's trace id is not 16 bytes or is all zero; a log record's is not empty or 16 bytes. */
  INVALID_TRACE_ID("invalid_trace_id", OtlpSignal.TRACES, OtlpSignal.LOGS),
  /** A span's id is not 8 bytes or is zero, or a parent or log record's span id is not 0 or 8. */
  INVALID_SPAN_ID("invalid_span_id", OtlpSignal.TRACES, OtlpSignal.LOGS),
  /** A span without a start time, or that ends before it starts. */
  BAD_TIMESTAMP("bad_timestamp", OtlpSignal.TRACES),
  /** A log record's severity number outside 0–24. */
  BAD_SEVERITY("bad_severity", OtlpSignal.LOGS),
  /**
   * A point whose series would have more labels, a longer label value or a longer key than the
   * label limits allow ({@code max-labels}, {@code max-label-value-length}, {@code
   * max-series-key-length}).
   */
  LABEL_LIMITS("label_limits", OtlpSignal.METRICS),
  /** The gateway was overloaded and refused the whole request (the client retries it). */
  OVERLOADED("overloaded", OtlpSignal.METRICS, OtlpSignal.TRACES, OtlpSignal.LOGS);

  private final String label;
  private final Set<OtlpSignal> signals;

  OtlpRejectReason(String label, OtlpSignal... signals) {
    this.label = label;
    this.signals = Set.of(signals);
  }

  /** True if items of {@code signal} can be rejected for this reason. */
  public boolean appliesTo(OtlpSignal signal) {
    return signals.contains(signal);
  }

  public String label() {
    return label;
  }
}
