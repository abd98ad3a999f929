package dev.tally.gateway.http;

import dev.tally.gateway.ingest.KernelDrops;
import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.live.LiveFeed;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.live.TickSnapshot;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The HTTP listener (:8080): {@code /metrics}, health, the JSON API, the live feed (SSE and
 * WebSocket), the debug API and the dashboard's static files. It keeps the latest shard snapshots,
 * so a scrape never asks the shards anything and its cost does not depend on live-feed clients; the
 * user series' text is rendered once per tick. The live feed runs on this verticle's event loop.
 */
public final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final GatewayState state;
  private final LiveOptions liveOptions;
  private SnapshotView view;
  private TickAssembler assembler;
  private LiveFeed feed;
  private long heartbeatTimer = -1;
  private HttpServer server;
  private long renderedVersion = -1;
  private SeriesExposition rendered;

  /** Seconds between heartbeats to live clients (SSE comments, WebSocket pings). */
  static final long HEARTBEAT_MILLIS = 15_000;

  public HttpVerticle(String host, int port, GatewayState state, LiveOptions liveOptions) {
    this.host = host;
    this.port = port;
    this.state = state;
    this.liveOptions = new LiveOptions(liveOptions);
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, ShardSnapshot.class);
    view = new SnapshotView(state.router.shards());
    assembler = new TickAssembler(state.router.shards());
    feed = new LiveFeed(liveOptions, state.live);
    vertx.eventBus().<ShardSnapshot>localConsumer(Addresses.SNAPSHOT, msg -> snapshot(msg.body()));
    heartbeatTimer =
        vertx.setPeriodic(HEARTBEAT_MILLIS, id -> feed.heartbeat(System.currentTimeMillis()));
    Router router = Router.router(vertx);
    router.get("/metrics").handler(this::metrics);
    new LiveRoutes(feed).mount(router);
    router.get("/api/overview").handler(rc -> rc.json(overview()));
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    new HealthRoutes(state, view).mount(router);
    router.get("/api/debug/rejected").handler(rc -> rc.json(state.rejected.toJson()));
    router.route("/*").handler(StaticHandler.create("webroot"));
    server = vertx.createHttpServer();
    return server
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> state.listening("http", s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    return server.close();
  }

  /** The dashboard's tiles: cumulative totals (the page takes rates from two polls). */
  private JsonObject overview() {
    PipelineStats s = state.stats;
    long otlpAccepted = 0;
    long otlpRejected = 0;
    for (OtlpTransport t : OtlpTransport.values()) {
      otlpAccepted += s.otlpAccepted(t);
      for (OtlpRejectReason r : OtlpRejectReason.values()) {
        otlpRejected += s.otlpRejected(t, r);
      }
    }
    long statsdRejected = 0;
    for (RejectReason r : RejectReason.values()) {
      statsdRejected += s.statsdRejected(r);
    }
    return new JsonObject()
        .put("at", System.currentTimeMillis())
        .put("tick_ms", state.tickMillis)
        .put("ready", state.isReady())
        .put("series_active", s.seriesActive().get())
        .put("ingested", s.statsdLinesAccepted() + otlpAccepted)
        .put("lost", statsdRejected + otlpRejected + s.droppedTotal())
        .put("live_clients", feed.clients());
  }

  private void snapshot(ShardSnapshot snapshot) {
    view.update(snapshot);
    TickSnapshot tick = assembler.add(snapshot);
    if (tick != null) {
      feed.onTick(tick, System.currentTimeMillis());
    }
  }

  /** The bound port; valid once started. */
  public int port() {
    return server.actualPort();
  }

  private void metrics(RoutingContext rc) {
    int statsdPort = state.statsdPort();
    Future<Long> drops =
        statsdPort < 0
            ? Future.succeededFuture(-1L)
            : vertx.executeBlocking(() -> KernelDrops.read(statsdPort));
    drops
        .compose(
            d ->
                exposition()
                    .map(
                        series -> {
                          StringBuilder sb =
                              new StringBuilder(series.text().length() + 4096)
                                  .append(series.text());
                          SelfMetrics.write(
                              new PrometheusText(sb),
                              state.stats,
                              state.router,
                              state.seriesLimit,
                              d,
                              series.conflicts(),
                              state.live);
                          if (state.meters != null) {
                            sb.append(state.meters.scrape()); // Vert.x and JVM meters
                          }
                          return sb.toString();
                        }))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                rc.response()
                    .putHeader("content-type", PrometheusText.CONTENT_TYPE)
                    .end(ar.result());
              } else {
                rc.fail(ar.cause());
              }
            });
  }

  /**
   * The user series as text, rendered again only when a snapshot has arrived since the last
   * rendering. Rendering sorts and formats every series (100 ms and more for 100 000 series), so it
   * runs on a worker thread: the snapshots are immutable, and the event loop, which may also read a
   * StatsD socket or host a shard, stays free.
   */
  private Future<SeriesExposition> exposition() {
    long version = view.version();
    if (rendered != null && renderedVersion == version) {
      return Future.succeededFuture(rendered);
    }
    java.util.List<ShardSnapshot> snapshots = view.snapshots();
    return vertx
        .executeBlocking(() -> SeriesExposition.render(snapshots))
        .onSuccess(
            r -> {
              rendered = r;
              renderedVersion = version;
            });
  }
}
