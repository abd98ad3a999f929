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
  DISTRIBUTION((byte) 'd');

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
