package dev.tally.gateway.http;

import dev.tally.verticles.snapshot.SeriesSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Writes the families of a {@code /metrics} page in one {@link ExpositionFormat}, a piece at a
 * time: {@link SeriesExposition} decides what is written and in which order, a writer how. Not
 * thread-safe.
 */
interface PageWriter {
  /** Starts family {@code name} of {@code type}; its series follow. */
  void family(SeriesSnapshot first, String name, String type, String unit, String help);

  /** Writes one series of the current family. */
  void series(SeriesSnapshot s);

  /** Writes the window summary of a series exposed as both (the current family is its). */
  void windowSummary(SeriesSnapshot s);

  /** Bytes (or characters) written since the last {@link #piece()}. */
  int size();

  /** What was written since the last call; a family may go on in the next piece. */
  Buffer piece();

  /**
   * The end of the page: {@code ALERTS} (one label map per pending or firing alert) and Tally's own
   * meters. Reads /proc through the meters: not on an event loop.
   */
  Buffer tail(List<Map<String, String>> alerts, PrometheusMeterRegistry meters) throws IOException;

  /** The writer of {@code format}. */
  static PageWriter of(ExpositionFormat format) {
    return format == ExpositionFormat.PROTOBUF
        ? new ProtobufPageWriter()
        : new TextPageWriter(format == ExpositionFormat.OPENMETRICS);
  }
}
