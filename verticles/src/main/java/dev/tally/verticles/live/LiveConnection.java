package dev.tally.verticles.live;

/**
 * One client's transport, as the feed sees it: an SSE response or a WebSocket. Implementations are
 * called on the feed's thread only.
 */
public interface LiveConnection {
  /** The {@code transport} label of {@code tally_live_clients}: {@code sse} or {@code ws}. */
  String transport();

  /** True while the transport holds more unsent bytes than it should. */
  boolean writeQueueFull();

  /** Writes one message: its type (the SSE event name), an id (the SSE id; 0 for none) and JSON. */
  void write(String type, long id, String json);

  /** Keeps an idle connection open: an SSE comment or a WebSocket ping. */
  void heartbeat();

  /** Closes the connection, saying why (the WebSocket close reason, an SSE last message). */
  void close(String reason);
}
