package dev.tally.protocol.model;

/**
 * A log record as the log store keeps it: from OTLP or a StatsD event. The body is text (structured
 * bodies as JSON); attributes are name/value string pairs. Immutable.
 */
public final class LogEntry {
  /** The attribute naming an exception's type (OpenTelemetry semantic conventions). */
  public static final String EXCEPTION_TYPE = "exception.type";

  /** The attribute of a StatsD event's title. */
  public static final String EVENT_TITLE = "event.title";

  /** The attribute of a StatsD event's aggregation key ({@code k:}). */
  public static final String EVENT_AGGREGATION_KEY = "event.aggregation_key";

  private final long timeNanos;
  private final int severityNumber;
  private final String severityText;
  private final String service;
  private final String body;
  private final String[] attributes;
  private final long typedAttributes;
  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final String[] resource;
  private final long bytes;

  /**
   * @param severityNumber 0 (unspecified) to 24
   * @param severityText the text as sent; empty if none
   */
  public LogEntry(
      long timeNanos,
      int severityNumber,
      String severityText,
      String service,
      String body,
      String[] attributes,
      long typedAttributes,
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      String[] resource) {
    this.timeNanos = timeNanos;
    this.severityNumber = severityNumber;
    this.severityText = severityText;
    this.service = service;
    this.body = body;
    this.attributes = attributes;
    this.typedAttributes = typedAttributes;
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.resource = resource;
    this.bytes =
        80
            + Strings.estimatedBytes(severityText)
            + Strings.estimatedBytes(body)
            + Strings.estimatedBytes(attributes);
  }

  /** Epoch nanoseconds: the record's time, else its observed time, else its arrival. */
  public long timeNanos() {
    return timeNanos;
  }

  /**
   * The severity number; when the record has only a text the gateway knows ({@code "WARNING"}), the
   * lowest number of its range; 0 if unknown.
   */
  public int severityNumber() {
    return severityNumber;
  }

  /** The severity to show: the text as sent, else the range's name, else empty. */
  public String severity() {
    if (!severityText.isEmpty()) {
      return severityText;
    }
    LogSeverity s = LogSeverity.ofNumber(severityNumber);
    return s == null ? "" : s.name();
  }

  public String service() {
    return service;
  }

  public String body() {
    return body;
  }

  /** Which {@link #attributes()} values are numbers or booleans ({@link Pairs#typed}). */
  public long typedAttributes() {
    return typedAttributes;
  }

  /** Name/value pairs; do not modify. */
  public String[] attributes() {
    return attributes;
  }

  /** The value of attribute {@code name}, or null. */
  public String attribute(String name) {
    return Pairs.value(attributes, name);
  }

  /** True if the record carries a trace id. */
  public boolean hasTrace() {
    return traceIdHigh != 0 || traceIdLow != 0;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public long traceIdLow() {
    return traceIdLow;
  }

  /** 0 if none. */
  public long spanId() {
    return spanId;
  }

  /** The resource's attributes as name/value pairs, shared with the resource's other records. */
  public String[] resource() {
    return resource;
  }

  /** An upper estimate of the heap the record holds alone (not its shared resource array). */
  public long estimatedBytes() {
    return bytes; // computed once: the store, its batch and its eviction all count it
  }
}
