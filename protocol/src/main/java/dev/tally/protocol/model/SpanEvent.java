package dev.tally.protocol.model;

/** An event of a span: when, what, and its attributes as name/value pairs. Immutable. */
public final class SpanEvent {
  private final long timeNanos;
  private final String name;
  private final String[] attributes;
  private final long typedAttributes;

  /**
   * @param typedAttributes which attribute values are numbers or booleans ({@link Pairs#typed})
   */
  public SpanEvent(long timeNanos, String name, String[] attributes, long typedAttributes) {
    this.timeNanos = timeNanos;
    this.name = name;
    this.attributes = attributes;
    this.typedAttributes = typedAttributes;
  }

  /** Which {@link #attributes()} values are numbers or booleans ({@link Pairs#typed}). */
  public long typedAttributes() {
    return typedAttributes;
  }

  /** Epoch nanoseconds. */
  public long timeNanos() {
    return timeNanos;
  }

  public String name() {
    return name;
  }

  /** Name/value pairs: name0, value0, name1, value1, ...; do not modify. */
  public String[] attributes() {
    return attributes;
  }

  long estimatedBytes() {
    return 24 + Strings.estimatedBytes(name) + Strings.estimatedBytes(attributes);
  }
}
