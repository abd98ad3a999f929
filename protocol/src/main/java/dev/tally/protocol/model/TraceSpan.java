package dev.tally.protocol.model;

/**
 * A span as the trace store keeps it: ids as longs, times in epoch nanoseconds, attributes as
 * name/value string pairs. The resource's attributes are one array shared by the spans of a
 * resource. Immutable.
 */
public final class TraceSpan {
  /** The status codes of OTLP ({@code Status.StatusCode} numbers). */
  public static final int STATUS_UNSET = 0;

  public static final int STATUS_ERROR = 2;

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long parentSpanId;
  private final String name;
  private final String service;
  private final int kind;
  private final long startNanos;
  private final long endNanos;
  private final int status;
  private final String statusMessage;
  private final String[] attributes;
  private final SpanEvent[] events;
  private final String[] resource;
  private final long typedAttributes;
  private final long typedResource;
  private final long bytes;

  /**
   * @param kind the OTLP {@code SpanKind} number (0 unspecified, 1 internal ... 5 consumer)
   * @param status one of the {@code STATUS_} codes
   * @param typedAttributes which attribute values are numbers or booleans ({@link Pairs#typed})
   * @param typedResource which resource attribute values are numbers or booleans
   */
  public TraceSpan(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      long parentSpanId,
      String name,
      String service,
      int kind,
      long startNanos,
      long endNanos,
      int status,
      String statusMessage,
      String[] attributes,
      long typedAttributes,
      SpanEvent[] events,
      String[] resource,
      long typedResource) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.name = name;
    this.service = service;
    this.kind = kind;
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.status = status;
    this.statusMessage = statusMessage;
    this.attributes = attributes;
    this.events = events;
    this.resource = resource;
    this.typedAttributes = typedAttributes;
    this.typedResource = typedResource;
    long b = 104 + Strings.estimatedBytes(name) + Strings.estimatedBytes(statusMessage);
    b += Strings.estimatedBytes(attributes) + 16 + 4L * events.length;
    for (SpanEvent e : events) {
      b += e.estimatedBytes();
    }
    this.bytes = b; // the service name is the resource's, shared
  }

  /** Which {@link #attributes()} values are numbers or booleans ({@link Pairs#typed}). */
  public long typedAttributes() {
    return typedAttributes;
  }

  /** Which {@link #resource()} values are numbers or booleans ({@link Pairs#typed}). */
  public long typedResource() {
    return typedResource;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  public long spanId() {
    return spanId;
  }

  /** The parent's span id; 0 for a root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public String name() {
    return name;
  }

  /** The resource's {@code service.name}; empty if it has none. */
  public String service() {
    return service;
  }

  public int kind() {
    return kind;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  public int status() {
    return status;
  }

  public boolean error() {
    return status == STATUS_ERROR;
  }

  /** The status description; empty if none. */
  public String statusMessage() {
    return statusMessage;
  }

  /** Name/value pairs; do not modify. */
  public String[] attributes() {
    return attributes;
  }

  /** Do not modify. */
  public SpanEvent[] events() {
    return events;
  }

  /** The resource's attributes as name/value pairs, shared with the resource's other spans. */
  public String[] resource() {
    return resource;
  }

  /**
   * An upper estimate of the heap the span holds alone (its resource array, shared, is not
   * counted), for the trace store's byte bound.
   */
  public long estimatedBytes() {
    return bytes; // computed once: the store and its batch both count it
  }
}
