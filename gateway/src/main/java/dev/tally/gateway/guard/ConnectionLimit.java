package dev.tally.gateway.guard;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open connections of one listener, shared by the servers (one per event loop) that listen on
 * its port: a connection beyond {@code max} is closed as soon as it is accepted and counted, so
 * that idle or slow clients cannot take the process's file descriptors. Thread-safe.
 */
public final class ConnectionLimit {
  private final String listener;
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final LongAdder refused = new LongAdder();

  public ConnectionLimit(String listener, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1, was " + max);
    }
    this.listener = listener;
    this.max = max;
  }

  /** Counts the server's connections and closes those beyond the limit; call before listen. */
  public HttpServer install(HttpServer server) {
    return server.connectionHandler(this::accept);
  }

  private void accept(HttpConnection c) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.increment();
      Connections.abort(c);
      return;
    }
    // the socket's own close, not the connection's handler: a WebSocket upgrade replaces the
    // connection object, whose close handler then never runs
    Connections.onClose(c, open::decrementAndGet);
  }

  /** The {@code listener} label: {@code http}, {@code otlp-grpc} or {@code otlp-http}. */
  public String listener() {
    return listener;
  }

  public int max() {
    return max;
  }

  /** Connections open now. */
  public int open() {
    return open.get();
  }

  /** Connections closed at once because the limit was reached. */
  public long refused() {
    return refused.sum();
  }
}
