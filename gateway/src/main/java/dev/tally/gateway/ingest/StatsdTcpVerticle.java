package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.Network;
import dev.tally.gateway.guard.ConnectionLimit;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Listeners;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.StatsdTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
  private NetServer server;
  private long trimTimer = -1;
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
    EventBus bus = vertx.eventBus();
    String[] addresses = new String[router.shards()];
    Arrays.setAll(addresses, Addresses::aggregate);
    BatchAccumulator accumulator =
        new BatchAccumulator(
            (shard, batch) -> bus.send(addresses[shard], batch),
            new LogForwarder(bus, logInbox, logStats),
            router,
            stats,
            rejected);
    DatagramHandler handler =
        new DatagramHandler(
            new StatsdLineParser(parserOptions),
            accumulator,
            stats,
            Integer.MAX_VALUE,
            StatsdTransport.TCP);
    trimTimer = vertx.setPeriodic(BatchAccumulator.TRIM_MILLIS, id -> accumulator.trim());
    server =
        vertx.createNetServer(
            new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeoutMillis))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    server.connectHandler(socket -> connected(socket, handler));
    return server.listen().onSuccess(s -> boundPort = s.actualPort());
  }

  private void connected(NetSocket socket, DatagramHandler handler) {
    if (!allowed(socket)) {
      socket.close(); // outside statsd-allow
      return;
    }
    if (!gated) {
      if (!limit.tryOpen()) {
        socket.close();
        return;
      }
      socket.closeHandler(v -> limit.release());
    }
    LineFramer framer = new LineFramer(parserOptions.getMaxLineLength());
    socket.handler(
        (Buffer data) -> {
          byte[] bytes = data.getBytes();
          handler.read(bytes.length);
          framer.feed(bytes, 0, bytes.length, handler);
          handler.endOfTurn();
          if (handler.backlogged() || guard.refusing()) {
            socket.pause();
            resumeLater(socket, handler);
          }
        });
    socket.endHandler(
        v -> {
          framer.end(handler);
          handler.endOfTurn();
        });
  }

  /** True if the peer is inside {@code statsd-allow} (or the list is empty). */
  private boolean allowed(NetSocket socket) {
    List<Network> allow = options.get().statsdAllow();
    if (allow.isEmpty() || socket.remoteAddress() == null) {
      return true;
    }
    byte[] address;
    try {
      address = java.net.InetAddress.getByName(socket.remoteAddress().hostAddress()).getAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
    for (Network n : allow) {
      if (n.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Reads again once the shards have caught up and the guard takes ingest. */
  private void resumeLater(NetSocket socket, DatagramHandler handler) {
    vertx.setTimer(
        RESUME_CHECK_MILLIS,
        id -> {
          if (handler.caughtUp() && !guard.refusing()) {
            socket.resume();
          } else {
            resumeLater(socket, handler);
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(trimTimer);
    return server.close();
  }

  /** The bound port; -1 before the server listens. */
  public int port() {
    return boundPort;
  }
}
