package dev.tally.protocol.statsd;

import dev.tally.protocol.model.RejectReason;

/** Receives what {@link StatsdLineParser} finds in a packet, on the parsing thread. */
public interface StatsdSink {

  /** One valid sample; {@code sample} is a reused view, valid only during this call. */
  void sample(StatsdSample sample);

  /**
   * A skipped line, {@code bytes[from, to)}; parsing goes on with the next line. The default does
   * nothing: {@link ParseStats} already counts it.
   */
  default void rejected(RejectReason reason, byte[] bytes, int from, int to) {}

  /** A valid event ({@code _e{...}}) at {@code bytes[from, to)}. The default does nothing. */
  default void event(byte[] bytes, int from, int to) {}

  /** A valid service check ({@code _sc|...}) at {@code bytes[from, to)}. Default: nothing. */
  default void serviceCheck(byte[] bytes, int from, int to) {}
}
