package dev.tally.protocol.model;

/**
 * Why a line or a data point was skipped; the {@link #label()} is the {@code reason} label of
 * {@code tally_statsd_lines_rejected_total}.
 */
public enum RejectReason {
  /** A line longer than the parser's {@code maxLineLength}. */
  LINE_TOO_LONG("line_too_long"),
  /** The cut-off end of a datagram longer than {@code max-packet-size}. */
  PACKET_TOO_LONG("packet_too_long"),
  /** Nothing before the first {@code :}. */
  EMPTY_NAME("empty_name"),
  /** No {@code :value} part, or an empty value. */
  NO_VALUE("no_value"),
  /** No {@code |type} part. */
  NO_TYPE("no_type"),
  /** A type other than {@code c g ms h d s}. */
  BAD_TYPE("bad_type"),
  /** A value that is not a finite decimal number, or that is not once divided by its rate. */
  BAD_VALUE("bad_value"),
  /** A counter increment below zero. */
  NEGATIVE_COUNTER("negative_counter"),
  /** A sample rate that is not a number in [1e-6, 1]. */
  BAD_SAMPLE_RATE("bad_sample_rate"),
  /** A tag with an empty key. */
  BAD_TAGS("bad_tags"),
  /**
   * More tags, a longer tag value or a longer series key than the label limits allow ({@code
   * max-labels}, {@code max-label-value-length}, {@code max-series-key-length}).
   */
  LABEL_LIMITS("label_limits"),
  /** A {@code |T} field that is not a unix time in seconds. */
  BAD_TIMESTAMP("bad_timestamp"),
  /** An event ({@code _e{..}}) whose lengths do not match its title and text. */
  BAD_EVENT("bad_event"),
  /** A service check ({@code _sc|..}) without a name or with a status outside 0..3. */
  BAD_SERVICE_CHECK("bad_service_check");

  private final String label;

  RejectReason(String label) {
    this.label = label;
  }

  /** The reason as it appears in metric labels and in the rejected-lines API. */
  public String label() {
    return label;
  }
}
