package dev.tally.protocol.model;

/**
 * What a series measures; decides how samples aggregate and how the series is exposed.
 *
 * <p>The {@link #code()} is stable and is the first byte of every raw series key, so that one name
 * sent as two kinds makes two series.
 */
public enum MetricKind {
  /** Monotonic sum ({@code |c}); exposed as a Prometheus counter {@code <name>_total}. */
  COUNTER((byte) 'c'),
  /** Last value, or adjusted by {@code +n}/{@code -n} ({@code |g}); exposed as a gauge. */
  GAUGE((byte) 'g'),
  /** Distinct members per tick ({@code |s}); exposed as a gauge. */
  SET((byte) 's'),
  /** Durations in milliseconds ({@code |ms}); exposed as a summary {@code <name>_seconds}. */
  TIMER((byte) 't'),
  /** Unitless distributions ({@code |h} and {@code |d}); exposed as a summary. */
  DISTRIBUTION((byte) 'd'),
  /**
   * OTLP monotonic Sum: delta points add, cumulative points add their increase since the previous
   * point (a moved start time or a lower value is a reset); exposed as a counter {@code
   * <name>_total}.
   */
  OTLP_COUNTER((byte) 'C'),
  /** OTLP Gauge and non-monotonic Sum (delta points add); exposed as a gauge. */
  OTLP_GAUGE((byte) 'G'),
  /** OTLP explicit-bucket Histogram; exposed as a Prometheus histogram with the same bounds. */
  OTLP_HISTOGRAM((byte) 'H'),
  /**
   * OTLP ExponentialHistogram, recorded into HdrHistograms; exposed as a summary with the quantiles
   * of StatsD timers.
   */
  OTLP_EXPONENTIAL_HISTOGRAM((byte) 'E'),
  /** OTLP Summary: the last point's quantiles, sum and count; exposed as a summary. */
  OTLP_SUMMARY((byte) 'Q');

  private static final MetricKind[] BY_CODE = new MetricKind[128];

  static {
    for (MetricKind kind : values()) {
      BY_CODE[kind.code] = kind;
    }
  }

  private final byte code;

  MetricKind(byte code) {
    this.code = code;
  }

  /** The one-byte code of this kind (an ASCII letter). */
  public byte code() {
    return code;
  }

  /** True for kinds aggregated in a histogram (timers and distributions). */
  public boolean isHistogram() {
    return this == TIMER || this == DISTRIBUTION;
  }

  /** True for the kinds of OTLP metrics, whose names already carry their unit. */
  public boolean isOtlp() {
    return code >= 'A' && code <= 'Z';
  }

  /**
   * The kind of a {@link #code()}.
   *
   * @throws IllegalArgumentException if {@code code} is not the code of a kind
   */
  public static MetricKind ofCode(byte code) {
    MetricKind kind = code >= 0 ? BY_CODE[code] : null;
    if (kind == null) {
      throw new IllegalArgumentException("unknown metric kind code " + code);
    }
    return kind;
  }
}
