package dev.tally.gateway.http;

import dev.tally.verticles.logs.LogQuery;
import dev.tally.verticles.logs.LogStoreVerticle;
import dev.tally.verticles.trace.TraceQuery;
import dev.tally.verticles.trace.TraceStoreVerticle;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The traces and logs API of CONTRACT §9: {@code GET /api/traces}, {@code /api/traces/{id}}, {@code
 * /api/logs} and {@code /api/logs/errors}. Parameters are checked here, every bad one named in one
 * 400; the stores answer on their own threads with the JSON text.
 */
final class TelemetryRoutes {
  static final int MAX_LIMIT = 1000;

  private final TraceStoreVerticle traces;
  private final LogStoreVerticle logs;

  TelemetryRoutes(TraceStoreVerticle traces, LogStoreVerticle logs) {
    this.traces = traces;
    this.logs = logs;
  }

  void mount(Router router) {
    router.get("/api/traces").handler(this::traces);
    router.get("/api/traces/:id").handler(this::trace);
    router.get("/api/logs/errors").handler(rc -> reply(rc, logs.errors()));
    router.get("/api/logs").handler(this::logs);
  }

  /** {@code ?service=&min_duration_ms=&status=error|ok&since=&until=&limit=20}. */
  private void traces(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    String status = p.oneOf("status", "error", "ok");
    TraceQuery q =
        new TraceQuery(
            p.string("service"),
            p.millisAsNanos("min_duration_ms"),
            status == null ? null : status.equals("error"),
            p.time("since", 0),
            p.time("until", Long.MAX_VALUE),
            p.integer("limit", 20, 1, MAX_LIMIT));
    if (!p.answeredBadRequest()) {
      reply(rc, traces.traces(q));
    }
  }

  private void trace(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    long[] id = p.traceId("id");
    if (p.answeredBadRequest()) {
      return;
    }
    traces
        .trace(id[0], id[1])
        .onSuccess(
            json -> {
              if (json == null) {
                QueryParams.answer(
                    rc, 404, "id", "no trace " + rc.pathParam("id") + " in the store");
              } else {
                send(rc, json);
              }
            })
        .onFailure(rc::fail);
  }

  /** {@code ?q=&regex=&severity=&service=&trace_id=&since=&until=&limit=100}. */
  private void logs(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    Pattern regex = p.regex("regex");
    long[] trace = p.traceId("trace_id");
    LogQuery q =
        new LogQuery(
            p.string("q"),
            regex,
            p.severity("severity"),
            p.string("service"),
            trace == null ? 0 : trace[0],
            trace == null ? 0 : trace[1],
            p.time("since", 0),
            p.time("until", Long.MAX_VALUE),
            p.integer("limit", 100, 1, MAX_LIMIT));
    if (!p.answeredBadRequest()) {
      reply(rc, logs.logs(q));
    }
  }

  private static void reply(RoutingContext rc, Future<String> json) {
    json.onSuccess(text -> send(rc, text)).onFailure(rc::fail);
  }

  private static void send(RoutingContext rc, String json) {
    rc.response().putHeader("content-type", "application/json").end(json);
  }
}
