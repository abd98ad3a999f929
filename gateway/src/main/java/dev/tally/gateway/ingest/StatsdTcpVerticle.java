package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.Network;
import dev.tally.gateway.guard.ConnectionLimit;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Listeners;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.StatsdTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * StatsD over TCP: newline-framed lines, many per connection, on a Vert.x {@link NetServer} (its
 * connections on this verticle's event loop). Each read is cut into whole lines ({@link
 * LineFramer}), parsed into per-shard batches by the same parser and accumulator as a UDP socket,
 * and the batches sent at the end of the read. When the shards are behind, or the heap guard
 * refuses ingest, the connection is paused: TCP's flow control makes the sender wait, and no line
 * is lost. The listener's {@link ConnectionLimit} ({@code max-connections}, counted by the accept
 * gate where there is one) bounds the open connections; one idle for {@code idle-timeout} is
 * closed.
 */
public final class StatsdTcpVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StatsdTcpVerticle.class.getName());

  /** While a connection is paused, how often it looks whether it may read again. */
  static final long RESUME_CHECK_MILLIS = 1;

  private final String host;
  private final int port;
  private final ConnectionLimit limit;
  private final boolean gated;
  private final long idleTimeoutMillis;
  private final StatsdParserOptions parserOptions;
  private final ShardRouter router;
  private final PipelineStats stats;
  private final RejectedLines rejected;
  private final CurrentOptions options;
  private final HeapGuard guard;
  private final Inbox logInbox;
  private final LogStoreStats logStats;
  private final java.util.Set<Connection> connections = new java.util.HashSet<>();
  private byte[] scratch = new byte[64 << 10];
  private final java.util.Set<Connection> paused = new java.util.LinkedHashSet<>();
  private NetServer server;
  private long trimTimer = -1;
  private long idleTimer = -1;
  private long resumeTimer = -1;
  private volatile int boundPort = -1;

  public StatsdTcpVerticle(
      String host,
      int port,
      Listeners listeners,
      StatsdParserOptions parserOptions,
      ShardRouter router,
      PipelineStats stats,
      RejectedLines rejected,
      CurrentOptions options,
      HeapGuard guard,
      Inbox logInbox,
      LogStoreStats logStats) {
    this.host = host;
    this.port = port;
    this.limit = listeners.statsdTcpConnections();
    this.gated = listeners.gated();
    this.idleTimeoutMillis = listeners.idleTimeoutMillis();
    this.parserOptions = new StatsdParserOptions(parserOptions);
    this.router = router;
    this.stats = stats;
    this.rejected = rejected;
    this.options = options;
    this.guard = guard;
    this.logInbox = logInbox;
    this.logStats = logStats;
  }

  @Override
  public Future<?> start() {
    BatchAccumulator accumulator =
        BatchAccumulator.onEventBus(vertx.eventBus(), router, stats, rejected, logInbox, logStats);
    DatagramHandler handler =
        new DatagramHandler(
            new StatsdLineParser(parserOptions),
            accumulator,
            stats,
            Integer.MAX_VALUE,
            StatsdTransport.TCP);
    trimTimer = vertx.setPeriodic(BatchAccumulator.TRIM_MILLIS, id -> accumulator.trim());
    // idleness is this verticle's to judge, not the server's: a connection paused while the
    // shards are behind reads nothing and must not be closed for it
    idleTimer =
        vertx.setPeriodic(Math.max(10, Math.min(1000, idleTimeoutMillis / 4)), id -> closeIdle());
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port));
    server.connectHandler(socket -> connected(socket, handler));
    return server.listen().onSuccess(s -> boundPort = s.actualPort());
  }

  /** A connection of this verticle; confined to its event loop. */
  private static final class Connection {
    final NetSocket socket;
    final LineFramer framer;
    long lastReadMillis = System.currentTimeMillis();
    boolean paused;

    Connection(NetSocket socket, LineFramer framer) {
      this.socket = socket;
      this.framer = framer;
    }
  }

  private void connected(NetSocket socket, DatagramHandler handler) {
    if (!Network.allows(options.get().statsdAllow(), socket.remoteAddress())) {
      socket.close(); // outside statsd-allow
      return;
    }
    if (!gated && !limit.tryOpen()) {
      socket.close(); // counted refused
      return;
    }
    Connection c = new Connection(socket, new LineFramer(parserOptions.getMaxLineLength()));
    connections.add(c);
    socket.closeHandler(
        v -> {
          connections.remove(c);
          paused.remove(c);
          if (!gated) {
            limit.release();
          }
        });
    socket.exceptionHandler(
        e -> LOG.log(Level.FINE, "StatsD TCP connection failed (it closes)", e));
    socket.handler(
        (Buffer data) -> {
          c.lastReadMillis = System.currentTimeMillis();
          // one array a verticle, reused: a read is parsed before the next one is taken
          int length = data.length();
          if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
          }
          data.getBytes(0, length, scratch, 0);
          handler.read(length);
          c.framer.feed(scratch, 0, length, handler);
          handler.endOfTurn();
          if (handler.backlogged() || guard.refusing()) {
            c.paused = true;
            socket.pause();
            paused.add(c);
            resumeLater(handler);
          }
        });
    socket.endHandler(
        v -> {
          c.framer.end(handler);
          handler.endOfTurn();
        });
  }

  /** Closes the connections that have read nothing for the idle timeout, but paused ones. */
  private void closeIdle() {
    long before = System.currentTimeMillis() - idleTimeoutMillis;
    for (Connection c : List.copyOf(connections)) {
      if (!c.paused && c.lastReadMillis < before) {
        c.socket.close();
      }
    }
  }

  /**
   * Reads the paused connections again once the shards have caught up and the guard takes ingest:
   * one look every {@link #RESUME_CHECK_MILLIS} for all of them.
   */
  private void resumeLater(DatagramHandler handler) {
    if (resumeTimer != -1) {
      return;
    }
    resumeTimer =
        vertx.setTimer(
            RESUME_CHECK_MILLIS,
            id -> {
              resumeTimer = -1;
              if (paused.isEmpty()) {
                return;
              }
              if (handler.caughtUp() && !guard.refusing()) {
                long now = System.currentTimeMillis();
                for (Connection c : paused) {
                  c.paused = false;
                  c.lastReadMillis = now;
                  c.socket.resume();
                }
                paused.clear();
              } else {
                resumeLater(handler);
              }
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(trimTimer);
    vertx.cancelTimer(idleTimer);
    return server.close();
  }

  /** The bound port; -1 before the server listens. */
  public int port() {
    return boundPort;
  }
}
