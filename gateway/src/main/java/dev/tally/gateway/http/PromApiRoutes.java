package dev.tally.gateway.http;

import dev.tally.protocol.model.JsonText;
import dev.tally.protocol.promql.ApiFormats;
import dev.tally.protocol.promql.Expr;
import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import dev.tally.protocol.promql.ParseException;
import dev.tally.protocol.promql.Parser;
import dev.tally.verticles.history.HistoryStore;
import dev.tally.verticles.history.HistoryVerticle;
import dev.tally.verticles.query.QueryEngine;
import dev.tally.verticles.query.QueryException;
import dev.tally.verticles.query.QueryLimits;
import dev.tally.verticles.query.QueryResult;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The part of Prometheus' HTTP API that Grafana's Prometheus data source and {@code promtool} use,
 * answered from the history: {@code /api/v1/query}, {@code query_range}, {@code series}, {@code
 * labels} (GET, or POST with a form body), {@code label/<name>/values}, {@code metadata} (from the
 * latest tick), {@code status/buildinfo}, and an empty {@code query_exemplars}. Answers in
 * Prometheus' envelope ({@code status}, {@code data}, {@code errorType}, {@code error}). Queries
 * run on a pool of their own (one thread per core), never on the event loop, within the query
 * limits.
 */
final class PromApiRoutes {
  /** The Prometheus API version Tally answers as, for clients that look (Grafana). */
  static final String API_VERSION = "2.45.0";

  private static final int MAX_FORM_BYTES = 1 << 20;
  private static final java.util.regex.Pattern LABEL_NAME =
      java.util.regex.Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final HistoryVerticle history;
  private final QueryLimits limits;
  private final Supplier<TickSnapshot> tick;
  private final WorkerExecutor pool;

  PromApiRoutes(
      Vertx vertx, HistoryVerticle history, QueryLimits limits, Supplier<TickSnapshot> tick) {
    this.history = history;
    this.limits = limits;
    this.tick = tick;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    this.pool = vertx.createSharedWorkerExecutor("tally-query", threads);
  }

  void mount(Router router) {
    BodyHandler form = BodyHandler.create(false).setBodyLimit(MAX_FORM_BYTES);
    for (String path :
        List.of(
            "/api/v1/query",
            "/api/v1/query_range",
            "/api/v1/series",
            "/api/v1/labels",
            "/api/v1/query_exemplars")) {
      router.post(path).handler(form);
    }
    router.route("/api/v1/query").handler(rc -> run(rc, () -> query(rc)));
    router.route("/api/v1/query_range").handler(rc -> run(rc, () -> queryRange(rc)));
    router.route("/api/v1/series").handler(rc -> run(rc, () -> series(rc)));
    router.route("/api/v1/labels").handler(rc -> run(rc, () -> labels(rc, null)));
    router
        .get("/api/v1/label/:name/values")
        .handler(rc -> run(rc, () -> labels(rc, rc.pathParam("name"))));
    router.get("/api/v1/metadata").handler(rc -> run(rc, () -> metadata(rc)));
    router.get("/api/v1/status/buildinfo").handler(rc -> send(rc, 200, buildInfo()));
    router.route("/api/v1/query_exemplars").handler(rc -> send(rc, 200, success("[]")));
  }

  void close() {
    pool.close();
  }

  /** An answer's status and JSON body. */
  private record Answer(int status, String body) {}

  /** Runs {@code answer} on the query pool and sends what it gives, or its error. */
  private void run(RoutingContext rc, Callable<String> answer) {
    if (history == null || history.store() == null) {
      send(rc, 503, error(QueryException.Kind.INTERNAL.type(), "the history is off (--history)"));
      return;
    }
    pool.<Answer>executeBlocking(
            () -> {
              try {
                return new Answer(200, answer.call());
              } catch (QueryException e) {
                return new Answer(e.kind().status(), error(e.kind().type(), e.getMessage()));
              }
            },
            false)
        .onSuccess(a -> send(rc, a.status(), a.body()))
        .onFailure(
            e ->
                send(
                    rc,
                    500,
                    error(QueryException.Kind.INTERNAL.type(), String.valueOf(e.getMessage()))));
  }

  private static void send(RoutingContext rc, int status, String body) {
    if (!rc.response().ended()) {
      rc.response()
          .setStatusCode(status)
          .putHeader("content-type", "application/json")
          .end(Buffer.buffer(body));
    }
  }

  private QueryEngine engine() {
    return new QueryEngine(history.store(), limits);
  }

  // ---- the endpoints (on the query pool)

  private String query(RoutingContext rc) {
    Expr e = expression(rc);
    long time = time(rc, "time", System.currentTimeMillis());
    QueryResult r = engine().instant(e, time, timeout(rc));
    return success(result(r));
  }

  private String queryRange(RoutingContext rc) {
    Expr e = expression(rc);
    long start = time(rc, "start", Long.MIN_VALUE);
    long end = time(rc, "end", Long.MIN_VALUE);
    String stepText = param(rc, "step");
    if (start == Long.MIN_VALUE || end == Long.MIN_VALUE || stepText == null) {
      throw bad(
          "invalid parameter \""
              + (start == Long.MIN_VALUE ? "start" : end == Long.MIN_VALUE ? "end" : "step")
              + "\": missing");
    }
    long step;
    try {
      step = ApiFormats.parseDuration(stepText);
    } catch (IllegalArgumentException ex) {
      throw bad("invalid parameter \"step\": " + ex.getMessage());
    }
    if (end < start) {
      throw bad("end timestamp must not be before start time");
    }
    if (step <= 0) {
      throw bad(
          "zero or negative query resolution step widths are not accepted. Try a positive"
              + " integer");
    }
    if ((end - start) / step > QueryLimits.MAX_STEPS) {
      throw bad(
          "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the"
              + " query resolution (?step=XX)");
    }
    return success(result(engine().range(e, start, end, step, timeout(rc))));
  }

  private String series(RoutingContext rc) {
    List<String> matches = rc.request().params().getAll("match[]");
    if (matches.isEmpty()) {
      throw bad("no match[] parameter provided");
    }
    long start = time(rc, "start", Long.MIN_VALUE);
    long end = time(rc, "end", Long.MAX_VALUE);
    boolean whole = start == Long.MIN_VALUE && end == Long.MAX_VALUE; // every series kept
    HistoryStore.Reader reader = history.store().reader();
    TreeSet<Labels> found = new TreeSet<>();
    for (String m : matches) {
      for (int id : reader.select(selector(m).matchers())) {
        if (whole || reader.hasData(id, start, end)) {
          found.add(reader.labels(id));
        }
      }
    }
    StringBuilder sb = new StringBuilder("[");
    for (Labels l : found) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      appendLabels(sb, l);
    }
    return success(sb.append(']').toString());
  }

  /** Label names, or the values of {@code name}. */
  private String labels(RoutingContext rc, String name) {
    if (name != null && !LABEL_NAME.matcher(name).matches()) {
      throw bad("invalid label name: \"" + name + "\"");
    }
    long start = time(rc, "start", Long.MIN_VALUE);
    long end = time(rc, "end", Long.MAX_VALUE);
    boolean whole = start == Long.MIN_VALUE && end == Long.MAX_VALUE; // every series kept
    HistoryStore.Reader reader = history.store().reader();
    List<String> matches = rc.request().params().getAll("match[]");
    TreeSet<String> out = new TreeSet<>();
    List<List<Matcher>> selectors = new ArrayList<>();
    for (String m : matches) {
      selectors.add(selector(m).matchers());
    }
    if (selectors.isEmpty()) {
      selectors.add(List.of(Matcher.of(Labels.NAME, Matcher.Op.RE, ".+")));
    }
    for (List<Matcher> s : selectors) {
      for (int id : reader.select(s)) {
        Labels l = reader.labels(id);
        if (!whole && !reader.hasData(id, start, end)) {
          continue;
        }
        if (name == null) {
          for (int i = 0; i < l.size(); i++) {
            out.add(l.name(i));
          }
        } else if (!l.get(name).isEmpty()) {
          out.add(l.get(name));
        }
      }
    }
    StringBuilder sb = new StringBuilder("[");
    for (String s : out) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      JsonText.appendString(sb, s);
    }
    return success(sb.append(']').toString());
  }

  /** Each family's type, help and unit, from the latest tick. */
  private String metadata(RoutingContext rc) {
    String metric = param(rc, "metric");
    Map<String, String[]> families = new TreeMap<>();
    for (SeriesSnapshot s : tick.get().series()) {
      if (metric == null || metric.equals(s.family())) {
        families.putIfAbsent(
            s.family(),
            new String[] {ExposedSamples.typeName(s), s.help() == null ? "" : s.help(), ""});
      }
    }
    StringBuilder sb = new StringBuilder("{");
    families.forEach(
        (family, m) -> {
          if (sb.length() > 1) {
            sb.append(',');
          }
          JsonText.appendString(sb, family);
          sb.append(":[{\"type\":");
          JsonText.appendString(sb, m[0]);
          sb.append(",\"help\":");
          JsonText.appendString(sb, m[1]);
          sb.append(",\"unit\":\"\"}]");
        });
    return success(sb.append('}').toString());
  }

  private static String buildInfo() {
    String tally = PromApiRoutes.class.getPackage().getImplementationVersion();
    return success(
        "{\"version\":\""
            + API_VERSION
            + "\",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\","
            + "\"goVersion\":\"\",\"application\":\"tally "
            + (tally == null ? "dev" : tally)
            + "\"}");
  }

  // ---- parameters

  private static String param(RoutingContext rc, String name) {
    String v = rc.request().getParam(name);
    return v == null || v.isEmpty() ? null : v;
  }

  private static Expr expression(RoutingContext rc) {
    String q = param(rc, "query");
    if (q == null) {
      throw bad("invalid parameter \"query\": 1:1: parse error: no expression found in input");
    }
    try {
      return Parser.parse(q);
    } catch (ParseException e) {
      throw bad("invalid parameter \"query\": " + e.getMessage());
    }
  }

  private static Expr.Selector selector(String text) {
    Expr.Selector s;
    try {
      s = Parser.parseSelector(text);
    } catch (ParseException e) {
      throw bad("invalid parameter \"match[]\": " + e.getMessage());
    }
    return s;
  }

  private static long time(RoutingContext rc, String name, long otherwise) {
    String v = param(rc, name);
    if (v == null) {
      return otherwise;
    }
    try {
      return ApiFormats.parseTime(v);
    } catch (IllegalArgumentException e) {
      throw bad("invalid parameter \"" + name + "\": " + e.getMessage());
    }
  }

  private static long timeout(RoutingContext rc) {
    String v = param(rc, "timeout");
    if (v == null) {
      return 0;
    }
    try {
      return ApiFormats.parseDuration(v);
    } catch (IllegalArgumentException e) {
      throw bad("invalid parameter \"timeout\": " + e.getMessage());
    }
  }

  private static QueryException bad(String message) {
    return new QueryException(QueryException.Kind.BAD_DATA, message);
  }

  // ---- JSON

  private static String success(String data) {
    return "{\"status\":\"success\",\"data\":" + data + "}";
  }

  private static String error(String type, String message) {
    StringBuilder sb = new StringBuilder("{\"status\":\"error\",\"errorType\":");
    JsonText.appendString(sb, type);
    sb.append(",\"error\":");
    JsonText.appendString(sb, message);
    return sb.append('}').toString();
  }

  /** {@code {"resultType":..., "result":...}}. */
  static String result(QueryResult r) {
    StringBuilder sb = new StringBuilder("{\"resultType\":");
    if (r instanceof QueryResult.Scalar s) {
      sb.append("\"scalar\",\"result\":");
      point(sb, s.time(), ApiFormats.formatValue(s.value()));
    } else if (r instanceof QueryResult.Text t) {
      sb.append("\"string\",\"result\":");
      StringBuilder v = new StringBuilder();
      JsonText.appendString(v, t.value());
      sb.append('[');
      ApiFormats.appendTime(sb, t.time()).append(',').append(v).append(']');
    } else if (r instanceof QueryResult.Vector v) {
      sb.append("\"vector\",\"result\":[");
      boolean first = true;
      for (QueryResult.Points p : v.series()) {
        sb.append(first ? "" : ",").append("{\"metric\":");
        appendLabels(sb, p.labels());
        sb.append(",\"value\":");
        point(sb, p.times()[0], ApiFormats.formatValue(p.values()[0]));
        sb.append('}');
        first = false;
      }
      sb.append(']');
    } else {
      sb.append("\"matrix\",\"result\":[");
      boolean first = true;
      for (QueryResult.Points p : ((QueryResult.Matrix) r).series()) {
        sb.append(first ? "" : ",").append("{\"metric\":");
        appendLabels(sb, p.labels());
        sb.append(",\"values\":[");
        for (int i = 0; i < p.times().length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          point(sb, p.times()[i], ApiFormats.formatValue(p.values()[i]));
        }
        sb.append("]}");
        first = false;
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  private static void point(StringBuilder sb, long time, String value) {
    sb.append('[');
    ApiFormats.appendTime(sb, time).append(",\"").append(value).append("\"]");
  }

  private static void appendLabels(StringBuilder sb, Labels l) {
    sb.append('{');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      JsonText.appendString(sb, l.name(i));
      sb.append(':');
      JsonText.appendString(sb, l.value(i));
    }
    sb.append('}');
  }
}
