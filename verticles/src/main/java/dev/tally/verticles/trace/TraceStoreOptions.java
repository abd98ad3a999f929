package dev.tally.verticles.trace;

import dev.tally.protocol.model.TraceKeeping;

/**
 * The bounds and sampling of the trace store, as Vert.x options are written: defaults here, each
 * setter checks its value and returns this.
 */
public final class TraceStoreOptions {
  /** Default: spans held at most, pending and kept. */
  public static final int DEFAULT_MAX_SPANS = 200_000;

  /** Default: estimated heap of the spans held at most, 128 MiB. */
  public static final long DEFAULT_MAX_BYTES = 128L << 20;

  /** Default share of the traces that are neither errors nor slow that is kept. */
  public static final double DEFAULT_SAMPLE_RATIO = 0.1;

  /** Default: a trace at least this long is kept, 1 s. */
  public static final long DEFAULT_SLOW_MILLIS = 1000;

  /** Default wait for more spans of a trace that is not yet an error, slow or sampled: 10 s. */
  public static final long DEFAULT_DECISION_WAIT_MILLIS = 10_000;

  private int maxSpans = DEFAULT_MAX_SPANS;
  private long maxBytes = DEFAULT_MAX_BYTES;
  private double sampleRatio = DEFAULT_SAMPLE_RATIO;
  private long slowNanos = DEFAULT_SLOW_MILLIS * 1_000_000;
  private long decisionWaitMillis = DEFAULT_DECISION_WAIT_MILLIS;

  public TraceStoreOptions() {}

  public TraceStoreOptions(TraceStoreOptions other) {
    maxSpans = other.maxSpans;
    maxBytes = other.maxBytes;
    sampleRatio = other.sampleRatio;
    slowNanos = other.slowNanos;
    decisionWaitMillis = other.decisionWaitMillis;
  }

  public int getMaxSpans() {
    return maxSpans;
  }

  /** Sets the spans held at most, pending and kept; at least 1. */
  public TraceStoreOptions setMaxSpans(int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be >= 1, was " + maxSpans);
    }
    this.maxSpans = maxSpans;
    return this;
  }

  public long getMaxBytes() {
    return maxBytes;
  }

  /** Sets the estimated heap of the spans held at most; at least 1. */
  public TraceStoreOptions setMaxBytes(long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
    return this;
  }

  /** Which traces the store keeps, as one span can tell at ingest (for span exemplars). */
  public TraceKeeping keeping() {
    return new TraceKeeping(getSlowNanos(), getSampleRatio());
  }

  public double getSampleRatio() {
    return sampleRatio;
  }

  /** Sets the share of traces that are neither errors nor slow that is kept, 0 to 1. */
  public TraceStoreOptions setSampleRatio(double sampleRatio) {
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("sampleRatio must be in [0, 1], was " + sampleRatio);
    }
    this.sampleRatio = sampleRatio;
    return this;
  }

  public long getSlowNanos() {
    return slowNanos;
  }

  /** Sets the duration from which a trace is kept as slow; 0 keeps every trace, never negative. */
  public TraceStoreOptions setSlowNanos(long slowNanos) {
    if (slowNanos < 0) {
      throw new IllegalArgumentException("slowNanos must be >= 0, was " + slowNanos);
    }
    this.slowNanos = slowNanos;
    return this;
  }

  public long getDecisionWaitMillis() {
    return decisionWaitMillis;
  }

  /**
   * Sets how long after its first span a trace that is not yet an error, slow or sampled waits for
   * more spans before it is dropped; never negative.
   */
  public TraceStoreOptions setDecisionWaitMillis(long decisionWaitMillis) {
    if (decisionWaitMillis < 0) {
      throw new IllegalArgumentException(
          "decisionWaitMillis must be >= 0, was " + decisionWaitMillis);
    }
    this.decisionWaitMillis = decisionWaitMillis;
    return this;
  }
}
