package dev.tally.protocol.otlp;

/** The units OTLP metrics' Prometheus names carry (see {@code MetricNames}). */
public final class OtlpUnits {
  private OtlpUnits() {}

  /**
   * The unit word an OTLP metric's family name (without a counter's {@code _total}) ends with, as
   * its unit made it ({@code http_server_request_duration_seconds}: {@code seconds}); null if none.
   */
  public static String unitOf(String family) {
    return MetricNames.unitWordOf(family);
  }
}
