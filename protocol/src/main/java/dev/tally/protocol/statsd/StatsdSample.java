package dev.tally.protocol.statsd;

import dev.tally.protocol.model.MetricKind;

/**
 * One parsed sample, as a view into the packet's bytes. The parser reuses one instance: it is valid
 * only during {@link StatsdSink#sample(StatsdSample)} and must not be kept.
 *
 * <p>Offsets index {@link #bytes()}; an absent part has {@code from == to}.
 */
public final class StatsdSample {
  byte[] bytes;
  int nameFrom;
  int nameTo;
  int tagsFrom;
  int tagsTo;
  int containerFrom;
  int containerTo;
  int memberFrom;
  int memberTo;
  MetricKind kind;
  double value;
  boolean delta;
  double rate;
  int routingHash;
  long line;

  StatsdSample() {}

  /**
   * The parser's running number of the line this sample comes from: the values of one multi-value
   * line share it, and no other line of the same parser has it.
   */
  public long line() {
    return line;
  }

  /** The packet's bytes. */
  public byte[] bytes() {
    return bytes;
  }

  public int nameFrom() {
    return nameFrom;
  }

  public int nameTo() {
    return nameTo;
  }

  /** Start of the raw tag list (after {@code #}); tags are comma separated {@code key[:value]}. */
  public int tagsFrom() {
    return tagsFrom;
  }

  public int tagsTo() {
    return tagsTo;
  }

  /** Start of the container id (after {@code c:}). */
  public int containerFrom() {
    return containerFrom;
  }

  public int containerTo() {
    return containerTo;
  }

  /** Start of the member of a set sample; empty for other kinds. */
  public int memberFrom() {
    return memberFrom;
  }

  public int memberTo() {
    return memberTo;
  }

  public MetricKind kind() {
    return kind;
  }

  /**
   * The value: a counter increment, a gauge value or adjustment, a timer's milliseconds or a
   * distribution's value; 0 for sets. Always finite.
   */
  public double value() {
    return value;
  }

  /** True for a gauge adjustment ({@code +n} or {@code -n}); {@link #value()} carries the sign. */
  public boolean delta() {
    return delta;
  }

  /** The sample rate, in (0, 1]; 1 when absent. */
  public double rate() {
    return rate;
  }

  /**
   * A hash of the series' canonical identity (kind, sanitized name, tags in any order): two lines
   * for the same series have the same hash, whatever their tag order or spelling of the name.
   */
  public int routingHash() {
    return routingHash;
  }
}
