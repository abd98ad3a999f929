package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.verticles.aggregate.AggregatorVerticle;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the StatsD port opens, sends synthetic StatsD traffic for {@code statsd-warm-up} through a
 * private copy of the whole ingest path, on the threads that will run it: a {@link
 * StatsdUdpVerticle} on an ephemeral loopback port, read on a StatsD thread, and one {@link
 * AggregatorVerticle} per shard on the shards' event-bus addresses (the real shards are deployed
 * after it). So the JIT has compiled Netty's datagram reads, the parser, the batches, the event bus
 * and the shards' look-ups and series creation, with production's call profiles, before the first
 * real datagram; a fresh gateway otherwise spent its first seconds compiling while it dropped
 * (measured in BENCHMARKS). Nothing of it is kept or counted: its router, limiter and counts are
 * its own, and its shards are undeployed, with their series, before the real ones.
 */
public final class WarmUp {
  /** Distinct series of the synthetic traffic: enough to compile the path of a new series. */
  static final int SERIES = 20_000;

  /**
   * Counters, the commonest StatsD kind, only: the JIT compiles for the types it has seen, and a
   * warm-up of every kind made the shards' per-sample call megamorphic, which cost counter-only
   * traffic 15 % (measured); other kinds are compiled in when they come.
   */
  private static final String[] KINDS = {"c", "c", "c|@0.5", "c"};

  private WarmUp() {}

  /**
   * Runs the warm-up for {@code millis} (0: none); completes, when its verticles are undeployed,
   * with the lines its private shards took (for the log).
   *
   * @param loop the StatsD thread the warm-up socket is read on
   */
  public static Future<Long> run(
      Vertx vertx, TallyOptions options, HeapGuard guard, EventLoop loop, long millis) {
    if (millis <= 0) {
      return Future.succeededFuture(0L);
    }
    ShardRouter router = new ShardRouter(options.shards(), options.shardQueue());
    PipelineStats stats = new PipelineStats();
    SeriesLimiter limiter = new SeriesLimiter(SERIES * 2);
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int shard = 0; shard < options.shards(); shard++) {
      AggregatorVerticle aggregator =
          new AggregatorVerticle(
              shard,
              options.aggregatorOptions(),
              router,
              limiter,
              stats,
              System::currentTimeMillis,
              null);
      chain = chain.compose(v -> vertx.deployVerticle(aggregator)).map(id -> remember(ids, id));
    }
    StatsdUdpVerticle socket =
        new StatsdUdpVerticle(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            options.statsdReceiveBuffer(),
            options.statsdMaxPacketSize(),
            false,
            options.parserOptions(),
            router,
            stats,
            new RejectedLines(),
            new CurrentOptions(options),
            guard,
            new Inbox(1, router),
            new LogStoreStats(),
            loop);
    return chain
        .compose(v -> vertx.deployVerticle(socket))
        .compose(
            id ->
                vertx
                    .executeBlocking(() -> send(socket.port(), millis))
                    .eventually(() -> vertx.undeploy(id)))
        .eventually(() -> undeployAll(vertx, ids))
        .map(v -> stats.statsdLinesAccepted());
  }

  private static Void remember(List<String> ids, String id) {
    ids.add(id);
    return null;
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : ids) {
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }

  /** Sends the synthetic datagrams, round after round, for {@code millis}; a blocking thread. */
  private static Void send(int port, long millis) {
    List<ByteBuffer> datagrams = datagrams();
    long deadline = System.nanoTime() + millis * 1_000_000;
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < datagrams.size() && System.nanoTime() < deadline; i++) {
          ByteBuffer d = datagrams.get(i);
          channel.write(d.rewind());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  /**
   * Datagrams of 20 counter lines over {@link #SERIES} series, a third with DogStatsD tags, as the
   * StatsD benchmark sends them.
   */
  static List<ByteBuffer> datagrams() {
    List<ByteBuffer> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < SERIES; ) {
      sb.setLength(0);
      for (int i = 0; i < 20; i++, line++) {
        String kind = KINDS[line % KINDS.length];
        String value = Integer.toString(1 + line % 997);
        sb.append("warm.up.m").append(line).append(':').append(value).append('|').append(kind);
        if (line % 3 == 0) {
          sb.append("|#env:warm,k:").append(line % 7);
        }
        sb.append('\n');
      }
      out.add(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }
    return out;
  }
}
