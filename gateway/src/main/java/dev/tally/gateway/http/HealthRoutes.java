package dev.tally.gateway.http;

import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Liveness;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.export.ExportStats;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;

/** {@code /health/live}, {@code /health/ready} and {@code /health} (CONTRACT §6). */
final class HealthRoutes {
  /** Ticks a shard may lag before {@code aggregation} is DOWN. */
  static final int MAX_LAG_TICKS = 5;

  /** Ticks a shard may miss before {@code /health/live} fails. */
  static final int STUCK_TICKS = 10;

  private final RunState run;
  private final ShardRouter router;
  private final PipelineStats stats;
  private final HeapGuard guard;
  private final long tickMillis;
  private final SnapshotView view;
  private final List<ExportStats> exports;
  private final long degradedAfterMillis;

  HealthRoutes(HttpSources src, SnapshotView view) {
    this.exports = src.exports();
    this.degradedAfterMillis = src.exportDegradedAfterMillis();
    this.run = src.run();
    this.router = src.router();
    this.stats = src.stats();
    this.guard = src.guard();
    this.tickMillis = src.tickMillis();
    this.view = view;
  }

  void mount(Router router) {
    router
        .get("/health/live")
        .handler(
            rc -> {
              long now = System.currentTimeMillis();
              String problem = run.liveness() == null ? null : run.liveness().problem(now);
              if (problem == null) {
                problem = stuckAggregation(view.oldestTickMillis(), now, tickMillis);
              }
              JsonObject body = new JsonObject().put("status", problem == null ? "UP" : "DOWN");
              if (problem != null) {
                body.put("reason", problem);
              }
              respond(rc, problem == null, body);
            });
    router
        .get("/health/ready")
        .handler(
            rc ->
                respond(
                    rc,
                    run.isReady(),
                    new JsonObject().put("status", run.isReady() ? "UP" : "DOWN")));
    router.get("/health").handler(this::health);
  }

  /**
   * Why the aggregation cannot be trusted to go on, or null: a shard whose last published tick is
   * older than {@link #STUCK_TICKS} ticks (and {@link Liveness#STUCK_MILLIS}) keeps failing its
   * tick, and the values it shows are frozen; a restart is the remedy.
   */
  static String stuckAggregation(long oldest, long now, long tickMillis) {
    long lag = now - oldest;
    if (oldest == 0 || lag <= Math.max(Liveness.STUCK_MILLIS, STUCK_TICKS * tickMillis)) {
      return null;
    }
    return "an aggregation shard has not ticked for " + lag / 1000 + " s";
  }

  private void health(RoutingContext rc) {
    JsonArray checks = new JsonArray();
    boolean up =
        check(
            checks,
            "listeners",
            run.isReady(),
            new JsonObject().put("ports", new JsonObject(new HashMap<>(run.listeners()))));
    long oldest = view.oldestTickMillis();
    long lag = oldest == 0 ? -1 : Math.max(0, System.currentTimeMillis() - oldest);
    up &=
        check(
            checks,
            "aggregation",
            oldest != 0 && lag <= MAX_LAG_TICKS * tickMillis,
            new JsonObject().put("lag_ms", lag).put("tick_ms", tickMillis));
    int maxDepth = 0;
    for (int s = 0; s < router.shards(); s++) {
      maxDepth = Math.max(maxDepth, router.depth(s));
    }
    up &=
        check(
            checks,
            "event_bus",
            maxDepth < router.maxPending(),
            new JsonObject()
                .put("max_queue_depth", maxDepth)
                .put("queue_limit", router.maxPending()));
    check(checks, "dropped_samples", true, new JsonObject().put("total", stats.droppedTotal()));
    // the heap guard's view: DOWN while it refuses ingest (a raw heap reading includes garbage)
    up &=
        check(
            checks,
            "memory",
            !guard.refusing(),
            new JsonObject()
                .put("live_estimate_bytes", guard.liveEstimateBytes())
                .put("limit_bytes", guard.limitBytes())
                .put("heap_max_bytes", Runtime.getRuntime().maxMemory()));
    boolean degraded = false;
    if (!exports.isEmpty()) {
      JsonArray targets = exportStates(exports, degradedAfterMillis, System.currentTimeMillis());
      degraded =
          targets.stream().anyMatch(t -> "degraded".equals(((JsonObject) t).getString("state")));
      checks.add(
          new JsonObject()
              .put("name", "export")
              .put("status", degraded ? "DEGRADED" : "UP")
              .put("details", new JsonObject().put("targets", targets)));
    }
    // a target that has failed for long is DEGRADED, still 200: the gateway itself works, and a
    // restart would not bring the target back
    respond(
        rc,
        up,
        new JsonObject()
            .put("status", !up ? "DOWN" : degraded ? "DEGRADED" : "UP")
            .put("checks", checks));
  }

  /**
   * Each export target: its name, state ({@code ok}, {@code failing}, {@code degraded}), bytes
   * queued, age of its oldest unsent record and when a request last got through (epoch ms, 0 for
   * never).
   */
  static JsonArray exportStates(List<ExportStats> exports, long degradedAfterMillis, long now) {
    JsonArray out = new JsonArray();
    for (ExportStats e : exports) {
      long oldest = e.oldestUnsentMillis();
      out.add(
          new JsonObject()
              .put("name", e.target())
              .put("state", e.state(now, degradedAfterMillis).label())
              .put("failing_since", e.failingSinceMillis())
              .put("queue_bytes", e.queueBytes())
              .put("oldest_unsent_seconds", oldest == 0 ? 0 : Math.max(0, now - oldest) / 1000.0)
              .put("last_success", e.lastSuccessMillis()));
    }
    return out;
  }

  private static boolean check(JsonArray checks, String name, boolean up, JsonObject details) {
    checks.add(
        new JsonObject()
            .put("name", name)
            .put("status", up ? "UP" : "DOWN")
            .put("details", details));
    return up;
  }

  private static void respond(RoutingContext rc, boolean up, JsonObject body) {
    rc.response()
        .setStatusCode(up ? 200 : 503)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
