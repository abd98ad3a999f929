package dev.tally.gateway.guard;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The open connections of one listener, shared by the servers (one per event loop) that listen on
 * its port: a connection beyond {@code max} is closed as soon as it is accepted and counted, so
 * that idle or slow clients cannot take the process's file descriptors. On a Vert.x with an {@link
 * AcceptGate} the gate admits connections as the kernel hands them over; without one, the server's
 * connection handler does, which for an h2c server is only once a connection has sent its first
 * bytes. Thread-safe.
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

  /**
   * Counts the server's connections and closes those beyond the limit, unless {@code gated} (an
   * {@link AcceptGate} guards its port); call before listen.
   */
  public HttpServer install(HttpServer server, boolean gated) {
    return gated ? server : server.connectionHandler(this::accept);
  }

  private void accept(HttpConnection c) {
    if (!take()) {
      Connections.abort(c);
      return;
    }
    // the socket's own close, not the connection's handler: a WebSocket upgrade replaces the
    // connection object, whose close handler then never runs
    Connections.onClose(c, open::decrementAndGet);
  }

  /** Counts an accepted socket until it closes; false (counted refused) if over the limit. */
  boolean admit(Channel socket) {
    if (!take()) {
      return false;
    }
    socket.closeFuture().addListener(f -> open.decrementAndGet());
    return true;
  }

  /**
   * Counts a connection a server's own handler accepted (a server no gate guards); false, counted
   * refused, if over the limit: the caller closes it. {@link #release} when it closes.
   */
  public boolean tryOpen() {
    return take();
  }

  /** A connection counted by {@link #tryOpen} closed. */
  public void release() {
    open.decrementAndGet();
  }

  private boolean take() {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      refused.increment();
      return false;
    }
    return true;
  }

  /**
   * The {@code listener} label: {@code http}, {@code otlp-grpc}, {@code otlp-http} or {@code
   * statsd-tcp}.
   */
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
