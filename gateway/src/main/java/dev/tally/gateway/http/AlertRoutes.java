package dev.tally.gateway.http;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.protocol.model.Durations;
import dev.tally.verticles.alert.AlertEvaluator;
import dev.tally.verticles.alert.AlertVerticle;
import dev.tally.verticles.alert.AlertVerticle.Change;
import dev.tally.verticles.alert.AlertView;
import dev.tally.verticles.alert.Notification;
import dev.tally.verticles.alert.Rule;
import dev.tally.verticles.alert.RuleException;
import dev.tally.verticles.alert.RuleParser;
import dev.tally.verticles.alert.Silence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts API (CONTRACT §8): rules (create, read, replace, delete), alerts and their
 * acknowledgement, silences. Every change runs on the alert verticle's thread ({@link
 * AlertVerticle#change}); invalid input gets 400 with {@code {"errors":[{"field","message"}]}}.
 */
final class AlertRoutes {
  /** The largest request body of this API. */
  static final int MAX_BODY = 64 * 1024;

  private final AlertVerticle alerts;
  private final Vertx vertx;
  private final CurrentOptions options;
  private Future<Void> persisting = Future.succeededFuture(); // on the HTTP verticle's thread

  /** What a change of a rule through the API came to. */
  private static final String DONE = "done";

  private static final String EXISTS = "exists";
  private static final String FROM_FILE = "from the rules file";

  AlertRoutes(AlertVerticle alerts, Vertx vertx, CurrentOptions options) {
    this.alerts = alerts;
    this.vertx = vertx;
    this.options = options;
  }

  void mount(Router router) {
    router.get("/api/rules").handler(rc -> reply(rc, alerts.call(AlertRoutes::rulesJson)));
    router.post("/api/rules").handler(body()).handler(this::create);
    router.post("/api/rules/preview").handler(body()).handler(this::preview);
    router.get("/api/rules/:name").handler(this::getRule);
    router.put("/api/rules/:name").handler(body()).handler(this::replace);
    router.delete("/api/rules/:name").handler(this::delete);
    router
        .get("/api/alerts")
        .handler(
            rc ->
                reply(
                    rc,
                    alerts.change(
                        now ->
                            new Change<>(alertsJson(alerts.evaluator().alerts(now)), List.of()))));
    router.post("/api/alerts/:id/ack").handler(body()).handler(this::ack);
    router
        .get("/api/silences")
        .handler(rc -> reply(rc, alerts.call(e -> silencesJson(e.silences()))));
    router.post("/api/silences").handler(body()).handler(this::silence);
    router.delete("/api/silences/:id").handler(this::unsilence);
    router.get("/api/alerts/audit").handler(this::audit);
  }

  private static BodyHandler body() {
    return BodyHandler.create(false).setBodyLimit(MAX_BODY);
  }

  private void create(RoutingContext rc) {
    Rule rule = rule(rc, null);
    if (rule == null) {
      return;
    }
    alerts
        .change(
            now -> {
              AlertEvaluator e = alerts.evaluator();
              if (e.rules().containsKey(rule.name())) {
                return new Change<>(e.fromFile(rule.name()) ? FROM_FILE : EXISTS, List.of());
              }
              return new Change<>(DONE, e.putRule(rule, now));
            })
        .onSuccess(
            outcome -> {
              if (outcome == DONE) {
                saved(rc, 201, rule.toJson());
              } else if (outcome == FROM_FILE) {
                fromFile(rc, rule.name());
              } else {
                errors(rc, 409, "name", "a rule '" + rule.name() + "' exists: PUT replaces it");
              }
            })
        .onFailure(rc::fail);
  }

  /**
   * {@code POST /api/rules/preview} with a rule's body (its name optional): what the rule takes of
   * the latest tick, {@code {"series":[{"series","value","breached"}],"total":n}}, without keeping
   * it; 400 as for a new rule.
   */
  private void preview(RoutingContext rc) {
    JsonObject body = json(rc);
    if (body == null) {
      return;
    }
    if (body.getValue("name") == null) {
      body.put("name", "preview");
    }
    Rule rule = parsed(rc, body);
    if (rule == null) {
      return;
    }
    alerts
        .preview(rule)
        .onSuccess(
            p -> {
              JsonArray series = new JsonArray();
              for (AlertEvaluator.Preview s : p.series()) {
                series.add(
                    new JsonObject()
                        .put("series", s.series())
                        .put("value", Double.isFinite(s.value()) ? s.value() : null)
                        .put("breached", s.breached()));
              }
              rc.json(new JsonObject().put("series", series).put("total", p.total()));
            })
        .onFailure(rc::fail);
  }

  private void replace(RoutingContext rc) {
    Rule rule = rule(rc, rc.pathParam("name"));
    if (rule != null) {
      alerts
          .change(
              now ->
                  alerts.evaluator().fromFile(rule.name())
                      ? new Change<>(FROM_FILE, List.<Notification>of())
                      : new Change<>(DONE, alerts.evaluator().putRule(rule, now)))
          .onSuccess(
              outcome -> {
                if (outcome == DONE) {
                  saved(rc, 200, rule.toJson());
                } else {
                  fromFile(rc, rule.name());
                }
              })
          .onFailure(rc::fail);
    }
  }

  private void getRule(RoutingContext rc) {
    String name = rc.pathParam("name");
    alerts
        .call(e -> e.rules().get(name))
        .onSuccess(r -> found(rc, r == null ? null : r.toJson(), "no rule '" + name + "'"))
        .onFailure(rc::fail);
  }

  private void delete(RoutingContext rc) {
    String name = rc.pathParam("name");
    alerts
        .change(
            now -> {
              AlertEvaluator e = alerts.evaluator();
              if (e.fromFile(name)) {
                return new Change<>(FROM_FILE, List.<Notification>of());
              }
              boolean had = e.rules().containsKey(name);
              return new Change<>(had ? DONE : null, had ? e.removeRule(name, now) : List.of());
            })
        .onSuccess(
            outcome -> {
              if (outcome == DONE) {
                saved(rc, 204, null);
              } else if (outcome == FROM_FILE) {
                fromFile(rc, name);
              } else {
                found(rc, null, "no rule '" + name + "'");
              }
            })
        .onFailure(rc::fail);
  }

  private void ack(RoutingContext rc) {
    JsonObject body = json(rc);
    if (body == null) {
      return;
    }
    String by = body.getValue("by") instanceof String ? body.getString("by") : null;
    if (by == null || by.isBlank()) {
      errors(rc, 400, "by", "who acknowledges: a non-empty string");
      return;
    }
    String comment = body.getValue("comment") instanceof String ? body.getString("comment") : "";
    String id = rc.pathParam("id");
    alerts
        .change(now -> new Change<>(alerts.evaluator().ack(id, by, comment, now), List.of()))
        .onSuccess(
            a ->
                found(rc, a == null ? null : a.toJson(), "no pending or firing alert '" + id + "'"))
        .onFailure(rc::fail);
  }

  /** {@code GET /api/alerts/audit?limit=100}: the newest audit entries first. */
  private void audit(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    int n = p.integer("limit", 100, 1, AlertEvaluator.AUDIT_ENTRIES);
    if (p.answeredBadRequest()) {
      return;
    }
    reply(
        rc, alerts.call(e -> new JsonObject().put("entries", new JsonArray(e.audit().newest(n)))));
  }

  private void silence(RoutingContext rc) {
    JsonObject body = json(rc);
    if (body == null) {
      return;
    }
    JsonArray problems = new JsonArray();
    Map<String, String> matchers = new LinkedHashMap<>();
    Object m = body.getValue("matchers");
    if (!(m instanceof JsonObject) || ((JsonObject) m).isEmpty()) {
      problems.add(problem("matchers", "an object of label names to values, at least one"));
    } else {
      for (Map.Entry<String, Object> e : (JsonObject) m) {
        if (e.getValue() instanceof String) {
          matchers.put(e.getKey(), (String) e.getValue());
        } else {
          problems.add(problem("matchers." + e.getKey(), "must be a string"));
        }
      }
    }
    long until = until(body.getValue("until"));
    if (until < 0) {
      problems.add(
          problem("until", "epoch milliseconds, an ISO-8601 instant or a duration from now"));
    } else if (until <= System.currentTimeMillis()) {
      problems.add(problem("until", "already past: a silence ends in the future"));
    }
    String by = body.getValue("by") instanceof String ? body.getString("by") : null;
    if (by == null || by.isBlank()) {
      problems.add(problem("by", "who silences: a non-empty string"));
    }
    String comment = body.getValue("comment") instanceof String ? body.getString("comment") : "";
    if (!problems.isEmpty()) {
      rc.response().setStatusCode(400);
      rc.json(new JsonObject().put("errors", problems));
      return;
    }
    alerts
        .change(
            now ->
                new Change<>(
                    alerts.evaluator().silence(matchers, until, by, comment, now), List.of()))
        .onSuccess(
            s -> {
              rc.response().setStatusCode(201);
              rc.json(silenceJson(s));
            })
        .onFailure(rc::fail);
  }

  private void unsilence(RoutingContext rc) {
    String id = rc.pathParam("id");
    alerts
        .change(now -> new Change<>(alerts.evaluator().unsilence(id, now), List.of()))
        .onSuccess(
            had -> {
              if (had) {
                rc.response().setStatusCode(204).end();
              } else {
                found(rc, null, "no silence '" + id + "'");
              }
            })
        .onFailure(rc::fail);
  }

  /**
   * Answers a change of the rules once they are written to the {@code --rules} file (if there is
   * one), so that a change the client was told of survives a restart; 500 if the file could not be
   * written (the change is in force, but not saved).
   */
  private void saved(RoutingContext rc, int status, JsonObject json) {
    persist()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                errors(rc, 500, "", "in force, but not written to the rules file: " + ar.cause());
              } else if (json == null) {
                rc.response().setStatusCode(status).end();
              } else {
                rc.response().setStatusCode(status);
                rc.json(json);
              }
            });
  }

  /** 409: the rules file's rules change only in that file, which is the user's. */
  private void fromFile(RoutingContext rc, String name) {
    errors(
        rc,
        409,
        "name",
        "rule '"
            + name
            + "' comes from the rules file "
            + options.get().rulesFile()
            + ": change it there (Tally does not write that file)");
  }

  /**
   * Writes the rules made through the API to their own file ({@code api-rules}), whole and at once
   * (a temporary file moved over it), after any write still under way, so that the file never goes
   * back to older rules. The user's rules file is never written.
   */
  private Future<Void> persist() {
    String file = options.get().apiRulesFile();
    if (file == null) {
      return Future.succeededFuture();
    }
    Future<Void> next =
        persisting.transform(
            previous ->
                alerts
                    .call(e -> rulesJson(e.apiRules()))
                    .compose(
                        json ->
                            vertx
                                .fileSystem()
                                .writeFile(file + ".tmp", Buffer.buffer(json.encodePrettily()))
                                .compose(
                                    v ->
                                        vertx
                                            .fileSystem()
                                            .move(
                                                file + ".tmp",
                                                file,
                                                new CopyOptions()
                                                    .setReplaceExisting(true)
                                                    .setAtomicMove(true)))));
    persisting = next;
    return next;
  }

  /** The rule of the body, with the path's name if given; null after answering 400. */
  private static Rule rule(RoutingContext rc, String pathName) {
    JsonObject body = json(rc);
    if (body == null) {
      return null;
    }
    if (pathName != null) {
      Object name = body.getValue("name");
      if (name == null) {
        body.put("name", pathName);
      } else if (!pathName.equals(name)) {
        errors(rc, 400, "name", "'" + name + "' is not the rule of the path, '" + pathName + "'");
        return null;
      }
    }
    return parsed(rc, body);
  }

  /** The rule of {@code body}; null after answering 400 with every problem. */
  private static Rule parsed(RoutingContext rc, JsonObject body) {
    try {
      return RuleParser.parse(body);
    } catch (RuleException e) {
      rc.response().setStatusCode(400);
      rc.json(e.toJson());
      return null;
    }
  }

  /** The body as a JSON object; null after answering 400. */
  private static JsonObject json(RoutingContext rc) {
    try {
      JsonObject o = rc.body().asJsonObject();
      if (o != null) {
        return o;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    errors(rc, 400, "", "the body must be a JSON object");
    return null;
  }

  /**
   * A silence's end in epoch milliseconds: a number, a duration from now ({@code 2h}), or what
   * {@link QueryParams#timeNanos} takes (epoch milliseconds, an ISO-8601 instant); -1 if none.
   */
  private static long until(Object u) {
    if (u instanceof Number) {
      return ((Number) u).longValue();
    }
    if (!(u instanceof String)) {
      return -1;
    }
    long from = Durations.parseMillis((String) u, -1);
    if (from >= 0) {
      return System.currentTimeMillis() + from;
    }
    long nanos = QueryParams.timeNanos((String) u);
    return nanos < 0 ? -1 : nanos / 1_000_000L;
  }

  /**
   * {@code GET /api/rules}: each rule with its {@code source}, {@code api} (changed through the
   * API) or {@code file} (a rules file's or a rule file's: read-only here).
   */
  private static JsonObject rulesJson(AlertEvaluator e) {
    JsonObject json = rulesJson(e.rules().values());
    for (Object o : json.getJsonArray("rules")) {
      JsonObject r = (JsonObject) o;
      boolean file = e.fromFile(r.getString("name")) || r.containsKey("expr");
      r.put("source", file ? "file" : "api");
    }
    return json;
  }

  private static JsonObject rulesJson(java.util.Collection<Rule> rules) {
    JsonArray a = new JsonArray();
    rules.stream()
        .sorted(java.util.Comparator.comparing(Rule::name))
        .forEach(r -> a.add(r.toJson()));
    return new JsonObject().put("rules", a);
  }

  private static JsonObject alertsJson(List<AlertView> views) {
    JsonArray a = new JsonArray();
    views.forEach(v -> a.add(v.toJson()));
    return new JsonObject().put("alerts", a);
  }

  private static JsonObject silencesJson(List<Silence> silences) {
    JsonArray a = new JsonArray();
    silences.forEach(s -> a.add(silenceJson(s)));
    return new JsonObject().put("silences", a);
  }

  private static JsonObject silenceJson(Silence s) {
    return new JsonObject()
        .put("id", s.id())
        .put("matchers", new JsonObject(new LinkedHashMap<>(s.matchers())))
        .put("until", s.untilMillis())
        .put("by", s.by())
        .put("comment", s.comment());
  }

  private static void reply(RoutingContext rc, Future<JsonObject> json) {
    json.onSuccess(rc::json).onFailure(rc::fail);
  }

  private static void found(RoutingContext rc, JsonObject json, String otherwise) {
    if (json != null) {
      rc.json(json);
    } else {
      errors(rc, 404, "", otherwise);
    }
  }

  private static void errors(RoutingContext rc, int status, String field, String message) {
    QueryParams.answer(rc, status, field, message);
  }

  private static JsonObject problem(String field, String message) {
    return QueryParams.problemJson(field, message);
  }
}
