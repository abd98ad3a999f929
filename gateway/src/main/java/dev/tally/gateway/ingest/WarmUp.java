package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.AggregatorVerticle;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * Before the StatsD port opens, sends synthetic StatsD traffic through a private copy of the whole
 * ingest path, on the threads that will run it: one {@link StatsdUdpVerticle} on an ephemeral
 * loopback port per StatsD thread (the kernel may give a sender to any of them), and one {@link
 * AggregatorVerticle} per shard on the shards' event-bus addresses (the real shards are deployed
 * after it). So the JIT has compiled Netty's datagram reads, the parser, the batches, the event bus
 * and the shards' look-ups and series creation, with production's call profiles, before the first
 * real datagram; a fresh gateway otherwise spent its first seconds compiling while it dropped
 * (measured in BENCHMARKS). It runs until the JIT compilers have been idle for {@link
 * #SETTLED_MILLIS} (see {@link Settling}), at most {@code statsd-warm-up}. Nothing of it is kept or
 * counted: its router, limiter and counts are its own, and its shards are undeployed, with their
 * series, before the real ones.
 *
 * <p>New series keep coming all along: the names change every {@link #GENERATION_MILLIS} and the
 * private shards forget a series after a second unseen, so the JIT sees series created as often as
 * series found (a warm-up that created its series only at the start had the real traffic's new
 * series recompile the shards' look-up and creation paths, seconds of C2 time, in the first seconds
 * after the port opened).
 */
public final class WarmUp {
  /** Distinct series of one generation of the synthetic traffic. */
  static final int SERIES = 20_000;

  /** How long one generation of series names is sent before the next. */
  static final long GENERATION_MILLIS = 500;

  /** The warm-up ends once the compilers were seen idle at every look for this long. */
  static final long SETTLED_MILLIS = 500;

  /** How often the warm-up looks at the compilers. */
  static final long LOOK_MILLIS = 100;

  /**
   * Every StatsD kind, counters the commonest, timers next (sampled too), as StatsD clients send
   * them: the JIT compiles for the types it has seen, and a kind first seen after the port opened
   * had its paths compiled, and the shards' recompiled, while real traffic waited. Measured in one
   * sitting against a counters-only warm-up: 100 000 mixed series 1.27 against 1.01 M lines/s and
   * 1.11 against 0.97 (medians of 3); 100 counter series 3.79 against 4.49 and 5.30 against 5.62
   * (where counters lose was not measured; at 100 series the reader, not the shards, is busy).
   */
  private static final String[] KINDS = {"c", "ms", "c|@0.5", "g", "c", "s", "ms|@0.5", "c"};

  private WarmUp() {}

  /**
   * What a warm-up did: lines its private shards took, how long it ran, whether the JIT settled,
   * how long the collection of its garbage took.
   */
  public record Outcome(long lines, long millis, boolean settled, long collectMillis) {}

  /**
   * Runs the warm-up for at most {@code maxMillis} (0: none); completes when its verticles are
   * undeployed.
   *
   * @param loops the StatsD threads, one warm-up socket read on each
   * @param reserved the names the real shards refuse: the same, so that the JIT compiles the check
   *     the real traffic takes (with the JVM's meter names, a branch the warm-up otherwise never
   *     took; the real shards' first sample then threw the compiled look-up away)
   */
  public static Future<Outcome> run(
      Vertx vertx,
      TallyOptions options,
      HeapGuard guard,
      EventLoopGroup loops,
      Predicate<String> reserved,
      long maxMillis) {
    if (maxMillis <= 0) {
      return Future.succeededFuture(new Outcome(0, 0, false, 0));
    }
    ShardRouter router = new ShardRouter(options.shards(), options.shardQueue());
    PipelineStats stats = new PipelineStats();
    SeriesLimiter limiter = new SeriesLimiter(SERIES * 10);
    limiter.reserve(reserved);
    AggregatorOptions forgetful =
        new AggregatorOptions(options.aggregatorOptions())
            .setSeriesTtlMillis(AggregatorOptions.MIN_SERIES_TTL_MILLIS);
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int shard = 0; shard < options.shards(); shard++) {
      AggregatorVerticle aggregator =
          new AggregatorVerticle(
              shard, forgetful, router, limiter, stats, AggregatorVerticle.WALL_CLOCK, null);
      chain = chain.compose(v -> vertx.deployVerticle(aggregator)).map(id -> remember(ids, id));
    }
    List<StatsdUdpVerticle> sockets = new ArrayList<>();
    for (EventExecutor loop : loops) {
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
              (EventLoop) loop);
      sockets.add(socket);
      chain = chain.compose(v -> vertx.deployVerticle(socket)).map(id -> remember(ids, id));
    }
    guard.warmingUp(true);
    return chain
        .compose(v -> vertx.executeBlocking(() -> send(ports(sockets), maxMillis)))
        .eventually(() -> undeployAll(vertx, ids))
        .compose(run -> vertx.executeBlocking(WarmUp::collect).map(ms -> outcome(stats, run, ms)))
        .eventually(
            () -> {
              guard.warmingUp(false);
              return Future.succeededFuture();
            });
  }

  private static Outcome outcome(PipelineStats stats, Run run, long collectMillis) {
    return new Outcome(stats.statsdLinesAccepted(), run.millis(), run.settled(), collectMillis);
  }

  /**
   * A full collection, in milliseconds: the warm-up's series, hundreds of megabytes of them, are
   * garbage now, most of it in the old generation (each lived through young collections); let go
   * here, before the port opens, instead of by a concurrent cycle and mixed collections while the
   * first real traffic waits (measured: young pauses of 180 and 250 ms in the first seconds of 100
   * 000 mixed series).
   */
  private static long collect() {
    long start = System.nanoTime();
    System.gc();
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static Void remember(List<String> ids, String id) {
    ids.add(id);
    return null;
  }

  private static int[] ports(List<StatsdUdpVerticle> sockets) {
    return sockets.stream().mapToInt(StatsdUdpVerticle::port).toArray();
  }

  /** Sockets first (they send to the shards), in the reverse order of deployment. */
  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = ids.size() - 1; i >= 0; i--) {
      String id = ids.get(i);
      chain = chain.compose(v -> vertx.undeploy(id));
    }
    return chain;
  }

  private record Run(long millis, boolean settled) {}

  /**
   * Sends the synthetic datagrams, each to the next of {@code ports}, until the compilers settle or
   * {@code maxMillis} pass; a blocking thread.
   */
  private static Run send(int[] ports, long maxMillis) {
    long start = System.nanoTime();
    Settling settling = Settling.ofThisJvm(SETTLED_MILLIS);
    List<DatagramChannel> channels = new ArrayList<>();
    try {
      for (int port : ports) {
        DatagramChannel channel = DatagramChannel.open();
        channels.add(channel);
        channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      }
      List<ByteBuffer> datagrams = datagrams(0);
      int generation = 0;
      long nextLook = 0;
      for (int i = 0; ; i++) {
        if ((i & 63) == 0) {
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          if (elapsed >= maxMillis) {
            return new Run(elapsed, false);
          }
          if (elapsed >= nextLook) {
            nextLook = elapsed + LOOK_MILLIS;
            if (settling.settled(elapsed)) {
              return new Run(elapsed, true);
            }
          }
          if (elapsed / GENERATION_MILLIS > generation) {
            generation = (int) (elapsed / GENERATION_MILLIS);
            datagrams = datagrams(generation);
          }
        }
        channels.get(i % channels.size()).write(datagrams.get(i % datagrams.size()).rewind());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (DatagramChannel channel : channels) {
        try {
          channel.close();
        } catch (IOException e) {
          // nothing was left to send
        }
      }
    }
  }

  /**
   * Datagrams of 20 counter lines over {@link #SERIES} series of one generation, a third with
   * DogStatsD tags, as the StatsD benchmark sends them.
   */
  static List<ByteBuffer> datagrams(int generation) {
    List<ByteBuffer> out = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < SERIES; ) {
      sb.setLength(0);
      for (int i = 0; i < 20; i++, line++) {
        String kind = KINDS[line % KINDS.length];
        String value = Integer.toString(1 + line % 997);
        sb.append("warm.up.g").append(generation).append(".m").append(line);
        sb.append(':').append(value).append('|').append(kind);
        if (line % 3 == 0) {
          sb.append("|#env:warm,k:").append(line % 7);
        }
        sb.append('\n');
      }
      out.add(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }
    return out;
  }

  /**
   * Whether the JVM's JIT compilers have settled: nothing compiling and nothing queued (HotSpot's
   * {@code Compiler.queue} diagnostic command, as {@code jcmd} runs it) at every look over the last
   * {@code window} milliseconds. The compilers' total time ({@code CompilationMXBean}) cannot tell:
   * it grows when a compilation ends, so a one-second compilation looks like a second of rest.
   * Never settled on a JVM without the command.
   */
  static final class Settling {
    private static final ObjectName COMMANDS = commands();

    private final Supplier<String> queue;
    private final long window;
    private long quietSince = -1;

    Settling(Supplier<String> queue, long window) {
      this.queue = queue;
      this.window = window;
    }

    static Settling ofThisJvm(long window) {
      return new Settling(Settling::queueOfThisJvm, window);
    }

    /** What {@code jcmd <pid> Compiler.queue} prints for this JVM; null if it cannot be asked. */
    static String queueOfThisJvm() {
      try {
        return (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    COMMANDS,
                    "compilerQueue",
                    new Object[] {null},
                    new String[] {String[].class.getName()});
      } catch (JMException | RuntimeException e) {
        return null;
      }
    }

    private static ObjectName commands() {
      try {
        return new ObjectName("com.sun.management:type=DiagnosticCommand");
      } catch (MalformedObjectNameException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Looks at the compilers at {@code nowMillis} (since the warm-up began). */
    boolean settled(long nowMillis) {
      String text = queue.get();
      if (text == null || !idle(text)) {
        quietSince = -1;
        return false;
      }
      if (quietSince < 0) {
        quietSince = nowMillis;
      }
      return nowMillis - quietSince >= window;
    }

    /**
     * Whether the command's answer shows nothing compiling and every queue empty: "Current
     * compiles:" with no line under it, and "Empty" under each "... compile queue:".
     */
    static boolean idle(String text) {
      String[] lines = text.split("\\R");
      boolean seen = false;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].trim();
        if (line.startsWith("Current compiles:")) {
          seen = true;
          if (i + 1 < lines.length && !lines[i + 1].isBlank()) {
            return false;
          }
        } else if (line.endsWith("compile queue:")) {
          seen = true;
          if (i + 1 >= lines.length || !lines[i + 1].trim().equals("Empty")) {
            return false;
          }
        }
      }
      return seen;
    }
  }
}
