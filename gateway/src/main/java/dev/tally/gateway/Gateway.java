package dev.tally.gateway;

import dev.tally.gateway.cluster.ClusterForwarder;
import dev.tally.gateway.cluster.ClusterView;
import dev.tally.gateway.cluster.SeriesExchange;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.Liveness;
import dev.tally.gateway.http.Drain;
import dev.tally.gateway.http.HttpVerticle;
import dev.tally.gateway.ingest.OtlpVerticle;
import dev.tally.gateway.ingest.StatsdTcpVerticle;
import dev.tally.gateway.ingest.StatsdUdpVerticle;
import dev.tally.gateway.ingest.WarmUp;
import dev.tally.gateway.notify.NotifierVerticle;
import dev.tally.verticles.aggregate.AggregatorVerticle;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.live.TickVerticle;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One running gateway on a {@link Vertx}: the aggregation shards, the HTTP listener, the OTLP
 * listeners and the StatsD sockets, deployed in that order so that nothing is received before it
 * can be aggregated; stopped in the reverse order, so that the shards publish a last tick of what
 * was received.
 */
public final class Gateway {
  private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

  private final Vertx vertx;
  private final TallyOptions options;
  private final Components parts;
  private final List<String> aggregators = new ArrayList<>();
  private final List<String> sockets = new ArrayList<>();
  private final List<String> otlp = new ArrayList<>();
  private final List<String> stores = new ArrayList<>();
  private String http;
  private String alertsId;
  private String notifierId;
  private ClusterForwarder forwarder; // null unless clustered
  private EventLoopGroup statsdLoops; // the StatsD sockets' own threads
  private EventLoopGroup unixLoop; // the Unix socket's, when Vert.x's transport is not epoll
  private String sourceHost; // this host's name, for the alerts' generatorURL
  private long guardTimer = -1;
  private Reloader reloader;
  private int httpPort = -1;
  private int statsdPort = -1;
  private int statsdTcpPort = -1;
  private int otlpGrpcPort = -1;
  private int otlpHttpPort = -1;

  private Gateway(Vertx vertx, TallyOptions options, PrometheusMeterRegistry meters) {
    this.vertx = vertx;
    this.options = options;
    this.parts =
        Components.of(
            vertx,
            options,
            meters != null ? meters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Starts a gateway; the future fails if a listener cannot bind. Resolves the bind address on the
   * calling thread (call it from {@code main} or a test, not from an event loop).
   */
  public static Future<Gateway> start(Vertx vertx, TallyOptions options) {
    return start(vertx, options, null);
  }

  /**
   * As {@link #start(Vertx, TallyOptions)}, with the registry of the Vert.x and JVM meters (see
   * {@link GatewayVertx}) that {@code /metrics} appends; null for none.
   */
  public static Future<Gateway> start(
      Vertx vertx, TallyOptions options, PrometheusMeterRegistry meters) {
    Gateway g = new Gateway(vertx, options, meters);
    InetSocketAddress statsdAddress = new InetSocketAddress(options.bind(), options.statsdPort());
    if ((options.alertWebhook() != null || options.alertmanager() != null)
        && options.externalUrl() == null) {
      g.sourceHost = hostName(); // a lookup: here, on the calling thread, not on an event loop
    }
    g.parts.guard().start();
    g.parts.run().liveness(new Liveness(vertx));
    // the heap in use now, each second: while ingest is refused, collections may not come
    g.guardTimer = vertx.setPeriodic(1000, id -> g.parts.guard().sample());
    long warmUp = options.statsdWarmUpMillis();
    return vertx
        .executeBlocking(
            () -> {
              PortCheck.check(options); // before the warm-up's seconds, not after them
              return null;
            })
        .compose(
            v ->
                WarmUp.run(
                    vertx,
                    options,
                    g.parts.guard(),
                    g.statsdLoops(),
                    g.parts.limiter().reservedFamilies(),
                    warmUp))
        .compose(
            done -> {
              if (warmUp > 0) {
                LOG.info(
                    "statsd warm-up: "
                        + done.lines()
                        + " synthetic lines in "
                        + done.millis()
                        + " ms"
                        + (done.settled()
                            ? ", until the JIT compilers settled"
                            : " (statsd-warm-up), the JIT compilers still busy")
                        + "; its garbage collected in "
                        + done.collectMillis()
                        + " ms");
              }
              return g.deployAggregators();
            })
        .compose(v -> g.deployForwarder()) // early: other nodes send as soon as this one joined
        .compose(
            v ->
                // a worker: assembling a tick sorts every series
                vertx.deployVerticle(
                    new TickVerticle(options.shards()),
                    new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .map(
            id -> {
              g.stores.add(id); // undeployed with the stores, after the shards' last tick
              return null;
            })
        .compose(v -> g.deployExporters())
        .compose(v -> g.deployHistory())
        .compose(
            v ->
                // a worker: evaluating 10 000 rules over 100 000 series takes about half a second,
                // which no event loop shared with sockets and shards may spend
                vertx.deployVerticle(
                    g.parts.alerts(),
                    new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)))
        .compose(
            id -> {
              g.alertsId = id;
              return g.deployStores();
            })
        .compose(v -> g.deployHttp())
        .compose(v -> g.deployNotifier())
        .compose(v -> g.deployOtlp())
        .compose(v -> g.deploySockets(statsdAddress))
        .compose(v -> g.deployStatsdTcp())
        .compose(v -> g.deployStatsdUnix())
        .map(
            v -> {
              g.parts.run().ready(true);
              return g;
            });
  }

  /**
   * The history's writer, a worker (it writes and forces files), before the HTTP listener whose
   * query API reads its store; undeployed with the stores, after the shards' last tick.
   */
  private Future<Void> deployHistory() {
    if (parts.history() == null) {
      return Future.succeededFuture();
    }
    return vertx
        .deployVerticle(
            parts.history(), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .map(
            id -> {
              stores.add(id);
              return null;
            });
  }

  /**
   * One worker per export target (it encodes whole ticks and reads and writes its queue's files),
   * undeployed with the stores, after the shards' last tick.
   */
  private Future<Void> deployExporters() {
    Future<Void> all = Future.succeededFuture();
    for (var exporter : parts.exporters()) {
      all =
          all.compose(
              v ->
                  vertx
                      .deployVerticle(
                          exporter,
                          new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
                      .map(
                          id -> {
                            stores.add(id);
                            return null;
                          }));
    }
    return all;
  }

  /**
   * Stops as {@link #stop(long)} does, with the configured {@code shutdown-grace} for the final
   * scrape.
   */
  public Future<Void> stop() {
    return stop(options.shutdownGraceMillis());
  }

  /**
   * Drains and stops: not ready any more; the OTLP listeners accept nothing new and answer the
   * requests in flight; the StatsD sockets close; the shards take what waits for them and publish
   * their last tick; the HTTP listener serves on until a scrape of {@code /metrics} has shown that
   * tick or {@code graceMillis} have passed; then the rest stops.
   */
  public Future<Void> stop(long graceMillis) {
    parts.run().ready(false);
    if (parts.run().liveness() != null) {
      parts.run().liveness().stop();
    }
    vertx.cancelTimer(guardTimer);
    parts.guard().stop();
    if (reloader != null) {
      reloader.stop();
    }
    Future<Void> receiving = forwarder == null ? Future.succeededFuture() : forwarder.leave();
    return receiving
        .compose(v -> undeployAll(otlp)) // a graceful shutdown: in-flight requests are answered
        .compose(v -> undeployAll(sockets))
        .compose(
            v -> {
              if (unixLoop != null) {
                unixLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
              }
              if (statsdLoops != null) {
                statsdLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
              }
              long tick = options.tickMillis();
              Drain drain = new Drain((System.currentTimeMillis() / tick + 1) * tick);
              parts.run().drain(drain);
              return undeployAll(aggregators) // each publishes its last tick
                  .compose(x -> within(drain.tickArrived(), 2 * tick + 1000))
                  .compose(x -> within(drain.scraped(), graceMillis));
            })
        .compose(v -> notifierId == null ? Future.succeededFuture() : vertx.undeploy(notifierId))
        .compose(v -> alertsId == null ? Future.succeededFuture() : vertx.undeploy(alertsId))
        .compose(v -> undeployAll(stores))
        .compose(v -> http == null ? Future.succeededFuture() : vertx.undeploy(http));
  }

  /** Completes when {@code f} does, or after {@code millis}, whichever comes first; never fails. */
  private static Future<Void> within(Future<Void> f, long millis) {
    return millis <= 0 // a timer needs 1 ms at least
        ? Future.succeededFuture()
        : f.timeout(millis, TimeUnit.MILLISECONDS).otherwiseEmpty();
  }

  /**
   * Reloads the configuration with {@code load} on {@link Reloader#reload()} (SIGHUP) and whenever
   * a watched file changes; see {@link Reloader}.
   */
  public Future<Reloader> watchConfig(Callable<TallyOptions> load) {
    Reloader r = new Reloader(vertx, parts, load);
    return r.start()
        .map(
            v -> {
              reloader = r;
              return r;
            });
  }

  public int httpPort() {
    return httpPort;
  }

  public int statsdPort() {
    return statsdPort;
  }

  /** The StatsD TCP port; -1 if StatsD over TCP is off. */
  public int statsdTcpPort() {
    return statsdTcpPort;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  /** The shards' queues: how full they are; for tests of overload. */
  public ShardRouter router() {
    return parts.router();
  }

  /** The start-up line of CONTRACT §1. */
  public String listeningLine() {
    return "tally listening http="
        + httpPort
        + " statsd="
        + statsdPort
        + " otlp-grpc="
        + otlpGrpcPort
        + " otlp-http="
        + otlpHttpPort;
  }

  /**
   * The trace and log stores, as workers: a search over a full store (a regex over 100 000 log
   * records) takes longer than an event loop may be held.
   */
  private Future<Void> deployStores() {
    DeploymentOptions worker = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);
    return vertx
        .deployVerticle(parts.traces(), worker)
        .compose(
            id -> {
              stores.add(id);
              return vertx.deployVerticle(parts.logs(), worker);
            })
        .map(
            id -> {
              stores.add(id);
              return null;
            });
  }

  /**
   * The forwarder of series deltas between nodes and the exchange of owned series for the global
   * view, when clustered.
   */
  private Future<Void> deployForwarder() {
    ClusterView cluster = parts.cluster();
    if (cluster == null) {
      return Future.succeededFuture();
    }
    forwarder = new ClusterForwarder(cluster, parts.router(), parts.clusterStats());
    return vertx
        .deployVerticle(forwarder)
        .compose(
            id -> {
              stores.add(id); // undeployed with the stores, after the shards' last tick
              // a worker: it encodes, decodes and merges every series of the cluster each tick
              return vertx.deployVerticle(
                  new SeriesExchange(cluster, parts.clusterStats(), options.tickMillis()),
                  new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
            })
        .map(
            id -> {
              stores.add(id);
              return null;
            });
  }

  private Future<Void> deployAggregators() {
    SeriesLimiter limiter = parts.limiter();
    Future<Void> chain = Future.succeededFuture();
    for (int shard = 0; shard < options.shards(); shard++) {
      AggregatorVerticle v =
          new AggregatorVerticle(
              shard,
              options
                  .aggregatorOptions()
                  .setStatsdMappings(() -> parts.options().get().statsdMappings()),
              parts.router(),
              limiter,
              parts.stats(),
              AggregatorVerticle.WALL_CLOCK,
              parts.cluster()); // null unless clustered: this node owns every series
      chain =
          chain
              .compose(x -> vertx.deployVerticle(v))
              .map(
                  id -> {
                    aggregators.add(id);
                    return null;
                  });
    }
    return chain;
  }

  /**
   * Where people reach this gateway: {@code external-url} without a trailing slash, else this
   * host's name and the HTTP port.
   */
  private String externalUrl() {
    String configured = options.externalUrl();
    if (configured != null) {
      return configured.endsWith("/")
          ? configured.substring(0, configured.length() - 1)
          : configured;
    }
    String scheme = options.tlsCert() == null ? "http" : "https";
    return scheme + "://" + sourceHost + ":" + httpPort;
  }

  /** The alert notifier, if a webhook or an Alertmanager is configured. */
  private Future<Void> deployNotifier() {
    if (options.alertWebhook() == null && options.alertmanager() == null) {
      return Future.succeededFuture();
    }
    NotifierVerticle v =
        new NotifierVerticle(
            options.alertWebhook(),
            options.alertmanager(),
            externalUrl() + "/api/alerts",
            parts.webhookDeliveries(),
            parts.alertmanagerDeliveries());
    return vertx
        .deployVerticle(v)
        .map(
            id -> {
              notifierId = id;
              return null;
            });
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private Future<Void> deployHttp() {
    HttpVerticle v =
        new HttpVerticle(options.bind(), options.httpPort(), parts.http(), options.liveOptions());
    return vertx
        .deployVerticle(v)
        .map(
            id -> {
              http = id;
              httpPort = v.port();
              return null;
            });
  }

  /**
   * One OTLP verticle per event loop, in one deployment, so that they share the ports even when the
   * configured ones are 0 (Vert.x gives the instances of a deployment one random port).
   */
  private Future<Void> deployOtlp() {
    List<OtlpVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    return perEventLoop(
            () ->
                new OtlpVerticle(
                    parts.options(),
                    parts.guard(),
                    parts.router(),
                    parts.traceInbox(),
                    parts.logInbox(),
                    parts.stats(),
                    parts.listeners()),
            instances)
        .map(
            id -> {
              otlp.add(id);
              otlpGrpcPort = instances.get(0).grpcPort();
              otlpHttpPort = instances.get(0).httpPort();
              parts.run().listening("otlp-grpc", otlpGrpcPort);
              parts.run().listening("otlp-http", otlpHttpPort);
              return null;
            });
  }

  /** The StatsD sockets' own threads, one per socket; made at the first call. */
  private EventLoopGroup statsdLoops() {
    if (statsdLoops == null) {
      statsdLoops =
          ((VertxInternal) vertx)
              .transport()
              .eventLoopGroup(
                  Transport.IO_EVENT_LOOP_GROUP,
                  statsdSocketCount(),
                  new DefaultThreadFactory("tally-statsd", true),
                  100);
    }
    return statsdLoops;
  }

  private int statsdSocketCount() {
    return vertx.isNativeTransportEnabled() ? options.statsdSockets() : 1;
  }

  /** The first socket binds the configured port (maybe 0); the others share the port it got. */
  private Future<Void> deploySockets(InetSocketAddress address) {
    boolean reusePort = vertx.isNativeTransportEnabled();
    int count = statsdSocketCount();
    if (!reusePort && options.statsdSocketsSet() && options.statsdSockets() > 1) {
      LOG.warning(
          "statsd-sockets="
              + options.statsdSockets()
              + " needs SO_REUSEPORT on the native epoll transport, which is not available: using 1 socket");
    }
    if (parts.run().liveness() != null) {
      parts.run().liveness().watch(statsdLoops(), "statsd thread");
    }
    StatsdUdpVerticle first = socket(address, reusePort);
    Future<Void> chain =
        vertx
            .deployVerticle(first)
            .map(
                id -> {
                  sockets.add(id);
                  statsdPort = first.port();
                  parts.run().listening("statsd", statsdPort);
                  LOG.info(
                      "statsd: "
                          + count
                          + " socket(s) on port "
                          + statsdPort
                          + ", receive buffer "
                          + first.receiveBufferSize()
                          + " bytes as reported by the kernel (requested "
                          + options.statsdReceiveBuffer()
                          + ", capped by net.core.rmem_max)");
                  return null;
                });
    for (int i = 1; i < count; i++) {
      chain =
          chain.compose(
              v -> {
                StatsdUdpVerticle next =
                    socket(new InetSocketAddress(address.getAddress(), statsdPort), true);
                return vertx
                    .deployVerticle(next)
                    .map(
                        id -> {
                          sockets.add(id);
                          return null;
                        });
              });
    }
    return chain;
  }

  /**
   * Deploys one instance of a verticle per event loop in one deployment (its instances share a
   * port, a random one too), each also added to {@code made}.
   */
  private <T extends io.vertx.core.Deployable> Future<String> perEventLoop(
      java.util.function.Supplier<T> make, List<T> made) {
    return vertx.deployVerticle(
        () -> {
          T v = make.get();
          made.add(v);
          return v;
        },
        new DeploymentOptions().setInstances(options.eventLoops()));
  }

  /**
   * StatsD over TCP, if on: a server per event loop (Vert.x spreads connections over them), the
   * first on the configured port (maybe 0), the others on the port it got.
   */
  private Future<Void> deployStatsdTcp() {
    Integer port = options.statsdTcpPort();
    if (port == null) {
      return Future.succeededFuture();
    }
    // one deployment of several instances: they share the port, a random one (0) included
    List<StatsdTcpVerticle> made = new java.util.concurrent.CopyOnWriteArrayList<>();
    return perEventLoop(() -> tcpServer(port), made)
        .map(
            id -> {
              sockets.add(id);
              statsdTcpPort = made.get(0).port();
              parts.listeners().listening(parts.listeners().statsdTcpConnections(), statsdTcpPort);
              parts.run().listening("statsd-tcp", statsdTcpPort);
              LOG.info("statsd: TCP on port " + statsdTcpPort);
              return null;
            });
  }

  private StatsdTcpVerticle tcpServer(int port) {
    return new StatsdTcpVerticle(
        options.bind(),
        port,
        parts.listeners(),
        options.parserOptions(),
        parts.router(),
        parts.stats(),
        parts.rejected(),
        parts.options(),
        parts.guard(),
        parts.logInbox(),
        parts.logStats());
  }

  /**
   * StatsD on a Unix datagram socket, if on: the UDP reader on a socket file, on a StatsD thread
   * (an epoll thread of its own when Vert.x runs without its native transport).
   */
  private Future<Void> deployStatsdUnix() {
    String path = options.statsdUnixSocket();
    if (path == null) {
      return Future.succeededFuture();
    }
    EventLoop loop;
    if (vertx.isNativeTransportEnabled()) {
      loop = statsdLoops().next();
    } else if (io.netty.channel.epoll.Epoll.isAvailable()) {
      unixLoop =
          new io.netty.channel.MultiThreadIoEventLoopGroup(
              1,
              new DefaultThreadFactory("tally-statsd-unix", true),
              io.netty.channel.epoll.EpollIoHandler.newFactory());
      loop = unixLoop.next();
    } else {
      return Future.failedFuture(
          "statsd-unix-socket needs the native epoll transport (Linux), which is not available");
    }
    return vertx
        .deployVerticle(socket(new DomainSocketAddress(path), false, loop))
        .map(
            id -> {
              sockets.add(id);
              LOG.info("statsd: Unix datagram socket " + path);
              return null;
            });
  }

  private StatsdUdpVerticle socket(java.net.SocketAddress address, boolean reusePort) {
    return socket(address, reusePort, statsdLoops().next());
  }

  private StatsdUdpVerticle socket(
      java.net.SocketAddress address, boolean reusePort, EventLoop loop) {
    return new StatsdUdpVerticle(
        address,
        options.statsdReceiveBuffer(),
        options.statsdMaxPacketSize(),
        reusePort,
        options.parserOptions(),
        parts.router(),
        parts.stats(),
        parts.rejected(),
        parts.options(),
        parts.guard(),
        parts.logInbox(),
        parts.logStats(),
        loop);
  }

  private Future<Void> undeployAll(List<String> ids) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : ids) {
      all.add(vertx.undeploy(id));
    }
    ids.clear();
    return Future.all(all).mapEmpty();
  }
}
