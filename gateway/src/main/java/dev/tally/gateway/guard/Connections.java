package dev.tally.gateway.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Closes connections at once, dropping what they have not sent. Vert.x's {@code close()} queues the
 * close behind the bytes not yet written, so a client that does not read is never closed by it and
 * keeps them in memory; this closes the socket from the head of the pipeline instead, which fails
 * the pending writes (their futures) and frees their buffers.
 */
public final class Connections {
  private Connections() {}

  /**
   * Ends a request's exchange at once: an HTTP/2 stream is reset (the connection's other streams go
   * on), an HTTP/1 connection is closed.
   */
  public static void abort(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset(8); // CANCEL
    } else {
      abort(request.connection());
    }
  }

  /** Closes a connection, HTTP/1 or HTTP/2, with whatever it still had to send. */
  public static void abort(HttpConnection connection) {
    if (connection instanceof ConnectionBase) {
      abort(((ConnectionBase) connection).channel());
    } else {
      connection.close();
    }
  }

  /** Runs {@code action} once the connection's socket is closed, whatever closed it. */
  static void onClose(HttpConnection connection, Runnable action) {
    if (connection instanceof ConnectionBase) {
      ((ConnectionBase) connection).channel().closeFuture().addListener(f -> action.run());
    } else {
      connection.closeHandler(v -> action.run());
    }
  }

  private static void abort(Channel channel) {
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close(); // from the head: no handler queues it behind unsent bytes
    } else {
      channel.close();
    }
  }
}
