package dev.tally.gateway.http;

import dev.tally.gateway.security.Authenticator;
import dev.tally.gateway.security.FailureLimiter;
import dev.tally.gateway.security.Sessions;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * Who may use the HTTP listener, mounted before every other route.
 *
 * <p>Cross-origin requests first: a request that changes something (POST, PUT, PATCH, DELETE) or
 * opens the WebSocket, sent with an {@code Origin} other than the listener's own, gets 403, and a
 * body sent to the API that is not {@code application/json} gets 415 (so that no page elsewhere can
 * make a browser act with its cookie, as a {@code text/plain} form post could).
 *
 * <p>Then bearer tokens: a request presents its token as {@code Authorization: Bearer <token>}, as
 * an {@code access_token} query parameter (RFC 6750; for scripts and EventSource clients that
 * cannot set headers), or by the session cookie {@code tally_session} that {@code POST /api/login}
 * sets for the dashboard (a random id, never the token; HttpOnly, SameSite Strict, ending after
 * {@code session-ttl}). Without a valid one: a browser asking for a page is sent to {@code
 * /login.html}, any other request gets 401 with {@code WWW-Authenticate: Bearer}. An address that
 * presents {@code auth-failures-per-minute} wrong credentials in a minute (or all addresses ten
 * times as many) gets 429 with {@code Retry-After} until the minute ends. Health, {@code /metrics}
 * (unless {@code auth-metrics}) and the login page stay open.
 */
final class AuthRoutes {
  static final String COOKIE = "tally_session";
  static final String QUERY = "access_token";
  static final String LOGIN_PAGE = "/login.html";

  private final Authenticator auth;
  private final boolean tls;
  private final Sessions sessions;
  private final FailureLimiter failures;

  AuthRoutes(Authenticator auth, boolean tls, Sessions sessions, FailureLimiter failures) {
    this.auth = auth;
    this.tls = tls;
    this.sessions = sessions;
    this.failures = failures;
  }

  void mount(Router router) {
    router.route().order(-2).handler(this::sameOrigin);
    router.route().order(-1).handler(this::check);
    router
        .post("/api/login")
        .handler(BodyHandler.create(false).setBodyLimit(4096))
        .handler(this::login);
    router.post("/api/logout").handler(this::logout);
  }

  private void sameOrigin(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    boolean unsafe =
        req.method() != HttpMethod.GET
            && req.method() != HttpMethod.HEAD
            && req.method() != HttpMethod.OPTIONS;
    boolean webSocket = "websocket".equalsIgnoreCase(req.getHeader("upgrade"));
    if ((unsafe || webSocket) && !sameOrigin(req.getHeader("origin"), req.getHeader("host"))) {
      QueryParams.answer(rc, 403, "origin", "requests from another origin are refused");
      return;
    }
    String path = rc.normalizedPath();
    if (unsafe
        && path.startsWith("/api/")
        && !path.equals("/api/login")
        && !path.equals("/api/logout")
        && !path.startsWith("/api/v1/") // Prometheus' query API: form bodies, read only
        && hasBody(req)
        && !isJson(req.getHeader("content-type"))) {
      QueryParams.answer(rc, 415, "content-type", "the body must be application/json");
      return;
    }
    rc.next();
  }

  /**
   * True if there is no {@code Origin} (not a browser, or a same-origin GET) or it names the
   * listener the request came to ({@code Host}).
   */
  static boolean sameOrigin(String origin, String host) {
    if (origin == null) {
      return true;
    }
    int scheme = origin.indexOf("://");
    return scheme > 0 && host != null && origin.substring(scheme + 3).equalsIgnoreCase(host);
  }

  private static boolean hasBody(HttpServerRequest req) {
    String length = req.getHeader("content-length");
    return (length != null && !length.equals("0")) || req.getHeader("transfer-encoding") != null;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semi = type.indexOf(';');
    return (semi < 0 ? type : type.substring(0, semi)).strip().equals("application/json");
  }

  private void check(RoutingContext rc) {
    String path = rc.normalizedPath();
    if (!auth.enabled() || open(path) || validSession(rc)) {
      rc.next(); // a session's 256-bit id is not guessed: logged-in users pass any guessing limit
      return;
    }
    if (refusedForGuessing(rc)) {
      return;
    }
    Credential presented = presented(rc);
    if (presented.valid()) {
      rc.next();
      return;
    }
    if (presented != Credential.NONE) {
      failures.failed(address(rc), System.currentTimeMillis());
    }
    HttpServerRequest req = rc.request();
    String accept = req.getHeader("accept");
    if (req.method() == HttpMethod.GET && accept != null && accept.contains("text/html")) {
      rc.response().setStatusCode(303).putHeader("location", LOGIN_PAGE).end();
      return;
    }
    rc.response().putHeader("www-authenticate", "Bearer realm=\"tally\"");
    QueryParams.answer(rc, 401, "authorization", "a bearer token is required");
  }

  /** True, after answering 429, if the client's address has guessed too often this minute. */
  private boolean refusedForGuessing(RoutingContext rc) {
    long wait = failures.blockedFor(address(rc), System.currentTimeMillis());
    if (wait == 0) {
      return false;
    }
    rc.response().putHeader("retry-after", Long.toString((wait + 999) / 1000));
    QueryParams.answer(rc, 429, "authorization", "too many failed attempts, retry later");
    return true;
  }

  private static String address(RoutingContext rc) {
    return rc.request().remoteAddress() == null ? "" : rc.request().remoteAddress().hostAddress();
  }

  private boolean open(String path) {
    if (path.equals(LOGIN_PAGE)
        || path.equals("/api/login")
        || path.equals("/api/logout")
        || path.startsWith("/css/")) {
      return true;
    }
    boolean metrics =
        path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/");
    return metrics && !auth.protectsMetrics();
  }

  /**
   * The token the request presents (the header's, else the query's). A session cookie that is not
   * valid, stale after a restart or expired, presents nothing: it is not a guess, and counting it
   * would lock out every open dashboard after a restart.
   */
  private Credential presented(RoutingContext rc) {
    String token = Authenticator.bearer(rc.request().getHeader("authorization"));
    if (token == null) {
      token = rc.request().getParam(QUERY);
    }
    if (token == null) {
      return Credential.NONE;
    }
    return auth.allows(token) ? Credential.VALID : Credential.WRONG;
  }

  private boolean validSession(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    return cookie != null && sessions.valid(cookie.getValue(), System.currentTimeMillis());
  }

  /** The login form's POST: a valid token opens a session, whose id becomes the cookie. */
  private void login(RoutingContext rc) {
    if (refusedForGuessing(rc)) {
      return;
    }
    String token = rc.request().getFormAttribute("token");
    long now = System.currentTimeMillis();
    if (token == null || !auth.allows(token.strip())) {
      failures.failed(address(rc), now);
      rc.response().setStatusCode(303).putHeader("location", LOGIN_PAGE + "?failed").end();
      return;
    }
    rc.response()
        .addCookie(
            Cookie.cookie(COOKIE, sessions.open(token.strip(), now))
                .setPath("/")
                .setMaxAge(sessions.ttlMillis() / 1000)
                .setHttpOnly(true)
                .setSecure(tls)
                .setSameSite(CookieSameSite.STRICT))
        .setStatusCode(303)
        .putHeader("location", "/")
        .end();
  }

  /** Ends the session of the cookie, if any, and clears the cookie. */
  private void logout(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie != null) {
      sessions.close(cookie.getValue());
    }
    rc.response()
        .addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0).setHttpOnly(true))
        .setStatusCode(303)
        .putHeader("location", LOGIN_PAGE)
        .end();
  }

  private enum Credential {
    NONE,
    WRONG,
    VALID;

    boolean valid() {
      return this == VALID;
    }
  }
}
