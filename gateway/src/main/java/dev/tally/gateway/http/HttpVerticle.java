package dev.tally.gateway.http;

import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.ConnectionLimit;
import dev.tally.gateway.guard.Liveness;
import dev.tally.gateway.security.Authenticator;
import dev.tally.gateway.security.FailureLimiter;
import dev.tally.gateway.security.Sessions;
import dev.tally.gateway.security.Tls;
import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.alert.AlertState;
import dev.tally.verticles.alert.AlertStates;
import dev.tally.verticles.alert.AlertView;
import dev.tally.verticles.alert.Notification;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.live.LiveFeed;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.SelfMeters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP listener (:8080): {@code /metrics}, health, the JSON API, the live feed (SSE and
 * WebSocket), the debug API and the dashboard's static files. It takes each tick assembled by the
 * {@code TickVerticle}, so a scrape never asks the shards anything and its cost does not depend on
 * live-feed clients; the user series' text is rendered per scrape, a piece at a time. When
 * clustered, {@code /metrics} shows this node's series and the live feed the cluster's ({@code
 * SeriesExchange}). It keeps the shards' latest snapshots for the health checks only. The live feed
 * runs on this verticle's event loop.
 */
public final class HttpVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final HttpSources src;
  private final RunState run;

  /** Series the latest page left out for a family-name conflict, for its gauge. */
  private final AtomicInteger typeConflicts = new AtomicInteger();

  private final LiveOptions liveOptions;
  private SnapshotView view;
  private LiveFeed feed;
  private long heartbeatTimer = -1;
  private HttpServer server;
  private AlertStates alertStates; // the latest evaluation, for ALERTS; this verticle's thread
  // this node's series; volatile: the query pool reads it for /api/v1/metadata
  private volatile TickSnapshot local = TickSnapshot.empty();
  private PromApiRoutes promApi;

  /** Seconds between heartbeats to live clients (SSE comments, WebSocket pings). */
  static final long HEARTBEAT_MILLIS = 15_000;

  public HttpVerticle(String host, int port, HttpSources src, LiveOptions liveOptions) {
    this.host = host;
    this.port = port;
    this.src = src;
    this.run = src.run();
    this.liveOptions = new LiveOptions(liveOptions);
  }

  @Override
  public Future<?> start() {
    SelfMeters.gauge(
        src.meters(),
        "tally_series_type_conflicts",
        "Series left out of /metrics because another kind has their family name.",
        typeConflicts,
        AtomicInteger::get);
    LocalCodec.register(vertx, ShardSnapshot.class);
    view = new SnapshotView(src.router().shards());
    feed = new LiveFeed(liveOptions, src.live());
    vertx
        .eventBus()
        .<ShardSnapshot>localConsumer(Addresses.SNAPSHOT, msg -> view.update(msg.body()));
    LocalCodec.register(vertx, TickSnapshot.class);
    vertx.eventBus().<TickSnapshot>localConsumer(Addresses.TICK, msg -> tick(msg.body()));
    vertx
        .eventBus()
        .<TickSnapshot>localConsumer(
            Addresses.GLOBAL_TICK, msg -> feed.onTick(msg.body(), System.currentTimeMillis()));
    LocalCodec.register(vertx, LogBatch.class);
    vertx
        .eventBus()
        .<LogBatch>localConsumer(Addresses.LOGS_TAIL, msg -> feed.onLogs(msg.body().entries()));
    LocalCodec.register(vertx, AlertStates.class);
    vertx.eventBus().<AlertStates>localConsumer(Addresses.ALERTS, msg -> alerts(msg.body()));
    heartbeatTimer =
        vertx.setPeriodic(HEARTBEAT_MILLIS, id -> feed.heartbeat(System.currentTimeMillis()));
    Router router = Router.router(vertx);
    // first: a handler's OutOfMemoryError ends as a failed request; it must fail /health/live too
    router
        .route()
        .failureHandler(
            rc -> {
              Liveness liveness = run.liveness();
              if (liveness != null) {
                liveness.routeFailed(rc);
              } else {
                rc.next();
              }
            });
    Authenticator auth = new Authenticator(src.options());
    new AuthRoutes(
            auth,
            src.options().get().tlsCert() != null,
            new Sessions(auth, src.options().get().sessionTtlMillis()),
            new FailureLimiter(src.options().get().authFailuresPerMinute()))
        .mount(router);
    router.get("/metrics").handler(this::metrics);
    new LiveRoutes(feed).mount(router);
    router.get("/api/overview").handler(rc -> rc.json(overview()));
    new AlertRoutes(src.alerts(), vertx, src.options()).mount(router);
    new TelemetryRoutes(src.traces(), src.logs()).mount(router);
    new ClusterRoutes(src.cluster(), () -> local).mount(router);
    promApi = new PromApiRoutes(vertx, src.history(), src.queryLimits(), () -> local);
    promApi.mount(router);
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    new HealthRoutes(src, view).mount(router);
    router.get("/api/debug/rejected").handler(rc -> rc.json(src.rejected().get()));
    router.get("/api/debug/cardinality").handler(this::cardinality);
    router.get("/api/debug/mapping").handler(this::mapping);
    router.route("/*").handler(StaticHandler.create("webroot"));
    ConnectionLimit limit = src.listeners().httpConnections();
    server = src.listeners().server(vertx, limit, src.options().get(), false);
    Tls.reloadOnChange(vertx, src.options(), server);
    return server
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(
            s -> {
              src.listeners().listening(limit, s.actualPort());
              run.listening("http", s.actualPort());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(heartbeatTimer);
    if (promApi != null) {
      promApi.close();
    }
    return server.close();
  }

  /** The dashboard's tiles: cumulative totals (the page takes rates from two polls). */
  private JsonObject overview() {
    PipelineStats s = src.stats();
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
        .put("tick_ms", src.tickMillis())
        .put("ready", run.isReady())
        .put("series_active", s.seriesActive().get())
        .put("ingested", s.statsdLinesAccepted() + otlpAccepted)
        .put("lost", statsdRejected + otlpRejected + s.droppedTotal())
        .put("live_clients", feed.clients())
        .put(
            "exports",
            HealthRoutes.exportStates(
                src.exports(), src.exportDegradedAfterMillis(), System.currentTimeMillis()));
  }

  /** What the StatsD mapping file makes of {@code name} of {@code type} (default {@code c}). */
  private void mapping(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    String name = p.string("name");
    if (name == null) {
      p.problem("name", "a StatsD name is required, such as api.checkout.200.latency");
    }
    String type = p.oneOf("type", MappingExplained.TYPES);
    if (p.answeredBadRequest()) {
      return;
    }
    TallyOptions o = src.options().get();
    rc.json(
        MappingExplained.explain(
            o.statsdMappingConfig(), o.statsdMappings(), name, type == null ? "c" : type));
  }

  /**
   * {@code GET /api/debug/cardinality?limit=20}: the metric names with the most series, with the
   * limits and how many samples went to overflow series.
   */
  private void cardinality(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    int limit = p.integer("limit", 20, 1, 10_000);
    if (p.answeredBadRequest()) {
      return;
    }
    SeriesLimiter limiter = src.limiter();
    io.vertx.core.json.JsonArray metrics = new io.vertx.core.json.JsonArray();
    for (java.util.Map.Entry<String, Integer> e : limiter.top(limit)) {
      metrics.add(
          new JsonObject()
              .put("name", e.getKey())
              .put("series", e.getValue())
              .put("at_limit", e.getValue() >= limiter.maxPerMetric()));
    }
    rc.json(
        new JsonObject()
            .put("series", limiter.used())
            .put("max_series", limiter.max())
            .put("max_series_per_metric", limiter.maxPerMetric())
            .put("metric_names", limiter.metrics())
            .put("overflow_samples", src.stats().overflow())
            .put("metrics", metrics));
  }

  /**
   * Keeps the latest evaluation for {@code ALERTS}, and tells live clients of every alert that
   * began firing or resolved: {@code {"type":"alert","kind":..,"alert":{..}}}.
   */
  private void alerts(AlertStates states) {
    alertStates = states;
    for (Notification n : states.notifications()) {
      if (n.kind() != Notification.Kind.REPEAT) {
        feed.broadcast("alert", n.toJson().put("type", "alert").encode());
      }
    }
  }

  /**
   * This node's tick: what {@code /metrics} shows. Unless clustered, the live feed shows it too;
   * clustered, the feed takes the global view instead ({@link Addresses#GLOBAL_TICK}).
   */
  private void tick(TickSnapshot tick) {
    local = tick;
    Drain drain = run.drain();
    if (drain != null) {
      drain.onTick(tick.tickMillis());
    }
    if (src.cluster() == null) {
      feed.onTick(tick, System.currentTimeMillis());
    }
  }

  /** The bound port; valid once started. */
  public int port() {
    return server.actualPort();
  }

  /**
   * The page: this node's user series, rendered a piece at a time on a worker (formatting 100 000
   * series takes tens of milliseconds, and the event loop may host a shard) and written as the
   * socket takes them, then Tally's own metrics. A scrape holds one piece of the page, not the
   * page.
   */
  private void metrics(RoutingContext rc) {
    ExpositionFormat format = ExpositionFormat.negotiate(rc.request().getHeader("accept"));
    rc.response().setChunked(true).putHeader("content-type", format.contentType);
    writeSeries(rc, new SeriesExposition(local, format));
  }

  /** Bytes (characters of text) of user series rendered and written at a time. */
  static final int PAGE_PIECE_BYTES = 64 * 1024;

  private void writeSeries(RoutingContext rc, SeriesExposition page) {
    HttpServerResponse response = rc.response();
    if (response.closed()) {
      return; // the scraper left
    }
    if (page.done()) {
      typeConflicts.set(page.conflicts());
      List<Map<String, String>> alerts = alerts();
      // the meters read the kernel's drop counts from /proc: on a worker, not on the event loop
      vertx
          .executeBlocking(() -> page.tail(alerts, src.meters()), false)
          .onFailure(rc::fail)
          .onSuccess(
              tail ->
                  // a scraper that left fails the end, not the route
                  response
                      .end(tail)
                      .onSuccess(
                          v -> {
                            Drain drain = run.drain();
                            if (drain != null) {
                              drain.onScrape(page.tickMillis()); // the tick the page showed
                            }
                          }));
      return;
    }
    vertx
        .executeBlocking(() -> page.next(PAGE_PIECE_BYTES), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
              } else if (!response.closed()) {
                response.write(ar.result());
                if (response.writeQueueFull()) {
                  response.drainHandler(v -> writeSeries(rc, page));
                } else {
                  writeSeries(rc, page);
                }
              }
            });
  }

  /**
   * The labels of {@code ALERTS{alertname,alertstate,severity,...} 1} for every pending and firing
   * alert, as Prometheus writes it; none before the first evaluation.
   */
  private List<Map<String, String>> alerts() {
    List<Map<String, String>> all = new ArrayList<>();
    if (alertStates == null) {
      return all;
    }
    for (AlertView a : alertStates.alerts()) {
      if (a.state() != AlertState.RESOLVED) {
        Map<String, String> labels = new HashMap<>(a.labels());
        labels.put("alertstate", a.state().label());
        all.add(labels);
      }
    }
    return all;
  }
}
