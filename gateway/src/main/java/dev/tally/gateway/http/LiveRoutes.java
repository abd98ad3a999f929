package dev.tally.gateway.http;

import dev.tally.gateway.guard.Connections;
import dev.tally.protocol.model.Durations;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.verticles.live.LiveConnection;
import dev.tally.verticles.live.LiveFeed;
import dev.tally.verticles.live.Subscription;
import dev.tally.verticles.logs.LogQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON API and the live feed's transports (CONTRACT §7): {@code GET /api/series}, {@code GET
 * /api/series/{key}}, SSE at {@code /api/stream} and WebSocket at {@code /api/ws}. Wiring only:
 * what is sent is decided by {@link LiveFeed}, on this verticle's event loop.
 */
final class LiveRoutes {
  /** The SSE {@code retry} hint: how long a browser waits before it reconnects. */
  static final int RETRY_MILLIS = 2000;

  private static final String SERIES_PREFIX = "/api/series/";

  private final LiveFeed feed;

  LiveRoutes(LiveFeed feed) {
    this.feed = feed;
  }

  void mount(Router router) {
    router.get("/api/series").handler(this::list);
    router.getWithRegex("/api/series/.+").handler(this::history);
    router.get("/api/stream").handler(this::sse);
    router.get("/api/ws").handler(this::webSocket);
  }

  private void list(RoutingContext rc) {
    QueryParams p = new QueryParams(rc);
    int limit = p.integer("limit", 100, 0, Integer.MAX_VALUE);
    int offset = p.integer("offset", 0, 0, Integer.MAX_VALUE);
    if (p.answeredBadRequest()) {
      return;
    }
    Subscription match = subscription(rc);
    if (match != null) {
      json(rc, feed.seriesList(match, offset, limit));
    }
  }

  private void history(RoutingContext rc) {
    String path = rc.request().path();
    // a path, not a form: a '+' is a plus sign
    String key =
        URLDecoder.decode(
            path.substring(path.indexOf(SERIES_PREFIX) + SERIES_PREFIX.length())
                .replace("+", "%2B"),
            StandardCharsets.UTF_8);
    long window = Durations.parseMillis(rc.request().getParam("window"), 300_000);
    if (window < 0) {
      QueryParams.answer(rc, 400, "window", "a duration such as 30s, 5m or 1h");
      return;
    }
    String body = feed.seriesHistory(key, window);
    if (body == null) {
      QueryParams.answer(rc, 404, "key", "no series " + key);
    } else {
      json(rc, body);
    }
  }

  private void sse(RoutingContext rc) {
    Subscription match = subscription(rc);
    if (match == null) {
      return;
    }
    LogQuery tail = null;
    QueryParams p = new QueryParams(rc);
    if (p.bool("logs")) {
      tail = LogQuery.tail(p.string("log_service"), p.severity("log_severity"), p.string("log_q"));
    }
    if (p.answeredBadRequest()) { // a bad logs value too, not only a bad filter
      return;
    }
    HttpServerResponse resp = rc.response();
    SseConnection c = new SseConnection(rc);
    long after = lastEventId(rc.request().getHeader("last-event-id"));
    resp.setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache");
    if (!feed.open(c, match, after)) {
      refuse(rc);
      return;
    }
    if (tail != null) {
      feed.tail(c, tail);
    }
    resp.closeHandler(v -> feed.closed(c));
  }

  private void webSocket(RoutingContext rc) {
    if (feed.isFull()) {
      refuse(rc);
      return;
    }
    Subscription match = rc.request().getParam("match") == null ? null : subscription(rc);
    if (match == null && rc.response().ended()) {
      return;
    }
    HttpConnection connection = rc.request().connection(); // the same socket after the upgrade
    rc.request()
        .toWebSocket()
        .onSuccess(
            ws -> {
              WsConnection c = new WsConnection(ws, connection);
              if (!feed.open(c, match, Long.MIN_VALUE)) {
                ws.close((short) 1013, "too many clients");
                return;
              }
              ws.textMessageHandler(text -> message(c, ws, text));
              ws.closeHandler(v -> feed.closed(c));
            });
  }

  /** A client's message: {@code subscribe} or {@code unsubscribe}; anything else gets an error. */
  private void message(WsConnection c, ServerWebSocket ws, String text) {
    JsonObject msg;
    try {
      msg = new JsonObject(text);
    } catch (DecodeException e) {
      feed.reply(c, "error", error("not a JSON object: " + e.getMessage()));
      return;
    }
    String type = msg.getString("type", "");
    Object match = msg.getValue("match");
    if (type.equals("subscribe") && (match instanceof JsonArray || match instanceof String)) {
      List<String> globs = new ArrayList<>();
      if (match instanceof String) {
        globs.add((String) match);
      } else {
        for (Object g : (JsonArray) match) {
          globs.add(String.valueOf(g));
        }
      }
      try {
        Subscription subscription = Subscription.of(globs);
        LogQuery tail = tail(msg.getValue("logs")); // both checked before either is applied
        if (feed.subscribe(c, subscription, Long.MIN_VALUE)) {
          feed.tail(c, tail);
        } else {
          feed.reply(
              c,
              "error",
              error("too many subscribe messages: at most " + feed.maxSubscribes() + " in 10 s"));
        }
      } catch (IllegalArgumentException | ClassCastException e) {
        feed.reply(c, "error", error(e.getMessage()));
      }
    } else if (type.equals("unsubscribe")) {
      feed.unsubscribe(c);
    } else if (type.equals("ping")) {
      feed.reply(c, "pong", "{\"type\":\"pong\"}"); // an application-level ping (load tools)
    } else {
      feed.reply(
          c,
          "error",
          error(
              "expected {\"type\":\"subscribe\",\"match\":[\"<glob>\"]} or {\"type\":\"unsubscribe\"}"));
    }
  }

  /**
   * The live tail of a subscribe message's {@code logs}: {@code {"service","severity","q"}} (each
   * optional), {@code true} for every record, absent or {@code false} for none.
   *
   * @throws IllegalArgumentException for a bad severity or a {@code logs} that is not an object
   */
  static LogQuery tail(Object logs) {
    if (logs == null || Boolean.FALSE.equals(logs)) {
      return null;
    }
    if (Boolean.TRUE.equals(logs)) {
      return LogQuery.tail(null, 0, null);
    }
    if (!(logs instanceof JsonObject)) {
      throw new IllegalArgumentException("logs must be true or {\"service\",\"severity\",\"q\"}");
    }
    JsonObject o = (JsonObject) logs;
    String severity = o.getString("severity");
    int min = severity == null || severity.isEmpty() ? 0 : LogSeverity.lowestNumber(severity);
    if (min < 0) {
      throw new IllegalArgumentException(
          "logs.severity must be " + LogSeverity.ALLOWED + ", was " + severity);
    }
    return LogQuery.tail(o.getString("service"), min, o.getString("q"));
  }

  /** The {@code match} parameter's subscription; null after answering 400 if it is not allowed. */
  private static Subscription subscription(RoutingContext rc) {
    try {
      return Subscription.parse(rc.request().getParam("match"));
    } catch (IllegalArgumentException e) {
      QueryParams.answer(rc, 400, "match", e.getMessage());
      return null;
    }
  }

  private static String error(String message) {
    return new JsonObject().put("type", "error").put("message", message).encode();
  }

  private void refuse(RoutingContext rc) {
    rc.response().putHeader("retry-after", "5");
    QueryParams.answer(rc, 503, "", "too many live clients");
  }

  private static void json(RoutingContext rc, String body) {
    rc.response().putHeader("content-type", "application/json").end(body);
  }

  /** The SSE {@code Last-Event-ID}: the tick the client saw last; none if absent or not a tick. */
  private static long lastEventId(String s) {
    try {
      return s == null ? Long.MIN_VALUE : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  /** An SSE response as a feed client: events with the type as name and the tick as id. */
  private final class SseConnection implements LiveConnection {
    private final RoutingContext rc;
    private boolean started;

    SseConnection(RoutingContext rc) {
      this.rc = rc;
    }

    @Override
    public String transport() {
      return "sse";
    }

    @Override
    public Future<?> write(String type, long id, String json) {
      StringBuilder sb = new StringBuilder(json.length() + 64);
      if (!started) {
        started = true;
        sb.append("retry: ").append(RETRY_MILLIS).append('\n');
      }
      if (id != 0) {
        sb.append("id: ").append(id).append('\n');
      }
      sb.append("event: ").append(type).append("\ndata: ").append(json).append("\n\n");
      return rc.response().write(sb.toString());
    }

    @Override
    public Future<?> heartbeat() {
      return rc.response().write(": heartbeat\n\n");
    }

    @Override
    public void close() {
      Connections.abort(rc.request());
    }
  }

  /** A WebSocket as a feed client: one text frame per message, pings as heartbeats. */
  private static final class WsConnection implements LiveConnection {
    private final ServerWebSocket ws;
    private final HttpConnection connection;

    WsConnection(ServerWebSocket ws, HttpConnection connection) {
      this.ws = ws;
      this.connection = connection;
    }

    @Override
    public String transport() {
      return "ws";
    }

    @Override
    public Future<?> write(String type, long id, String json) {
      return ws.writeTextMessage(json);
    }

    @Override
    public Future<?> heartbeat() {
      return ws.writePing(Buffer.buffer("heartbeat"));
    }

    @Override
    public void close() {
      Connections.abort(connection); // the socket: a close frame would wait behind unsent bytes
    }
  }
}
