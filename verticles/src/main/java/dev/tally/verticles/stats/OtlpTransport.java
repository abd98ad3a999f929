package dev.tally.verticles.stats;

/** How an OTLP request arrived: the {@code transport} label of the OTLP self-metrics. */
public enum OtlpTransport {
  GRPC("grpc"),
  HTTP("http");

  private final String label;

  OtlpTransport(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
