package dev.tally.verticles.export;

import java.util.Locale;

/** What an export carries; each kind of record in a queue is one signal's. */
public enum Signal {
  /** Series, as samples (remote write) or data points (OTLP). */
  METRICS("samples"),
  /** Spans of the traces the trace store keeps. */
  TRACES("spans"),
  /** Log records the log store takes. */
  LOGS("logs");

  private final String items;

  Signal(String items) {
    this.items = items;
  }

  /** The word of the {@code signal} label: what the counted items are. */
  public String items() {
    return items;
  }

  /** The name in configuration files ({@code metrics}, {@code traces}, {@code logs}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
