package dev.tally.verticles.live;

import io.vertx.core.Future;

/**
 * One client's transport, as the feed sees it: an SSE response or a WebSocket. Implementations are
 * called on the feed's thread only, and complete the futures they return on it.
 */
public interface LiveConnection {
  /** The {@code transport} label of {@code tally_live_clients}: {@code sse} or {@code ws}. */
  String transport();

  /**
   * Writes one message: its type (the SSE event name), an id (the SSE id; 0 for none) and JSON.
   *
   * @return completed once the bytes have left the process (handed to the socket), failed if the
   *     connection closed first: until then the feed counts them as held for this client
   */
  Future<?> write(String type, long id, String json);

  /** Keeps an idle connection open: an SSE comment or a WebSocket ping. */
  Future<?> heartbeat();

  /**
   * Closes the connection at once, dropping what it has not sent: a client that does not read would
   * never see a last message, and waiting to send it would keep the bytes.
   */
  void close();
}
