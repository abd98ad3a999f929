package dev.tally.gateway.http;

import dev.tally.gateway.security.Authenticator;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Bearer-token authentication of the HTTP listener, mounted before every other route. A request
 * presents its token as {@code Authorization: Bearer <token>}, as an {@code access_token} query
 * parameter (RFC 6750; for scripts and EventSource clients that cannot set headers), or in the
 * {@code tally_token} cookie that {@code POST /api/login} sets for the dashboard, which browsers
 * then send with the page, the API calls, SSE and the WebSocket handshake (HttpOnly, SameSite
 * Strict). Without a valid one: a browser asking for a page is sent to {@code /login.html}, any
 * other request gets 401 with {@code WWW-Authenticate: Bearer}. Health, {@code /metrics} (unless
 * {@code auth-metrics}) and the login page stay open.
 */
final class AuthRoutes {
  static final String COOKIE = "tally_token";
  static final String QUERY = "access_token";
  static final String LOGIN_PAGE = "/login.html";

  private final Authenticator auth;
  private final boolean tls;

  AuthRoutes(Authenticator auth, boolean tls) {
    this.auth = auth;
    this.tls = tls;
  }

  void mount(Router router) {
    router.route().order(-1).handler(this::check);
    router
        .post("/api/login")
        .handler(BodyHandler.create(false).setBodyLimit(4096))
        .handler(this::login);
  }

  private void check(RoutingContext rc) {
    String path = rc.normalizedPath();
    if (!auth.enabled() || open(path) || auth.allows(presented(rc))) {
      rc.next();
      return;
    }
    HttpServerRequest req = rc.request();
    String accept = req.getHeader("accept");
    if (req.method().name().equals("GET") && accept != null && accept.contains("text/html")) {
      rc.response().setStatusCode(303).putHeader("location", LOGIN_PAGE).end();
      return;
    }
    rc.response().putHeader("www-authenticate", "Bearer realm=\"tally\"");
    QueryParams.answer(rc, 401, "authorization", "a bearer token is required");
  }

  private boolean open(String path) {
    if (path.equals(LOGIN_PAGE) || path.equals("/api/login") || path.startsWith("/css/")) {
      return true;
    }
    boolean metrics =
        path.equals("/metrics") || path.equals("/health") || path.startsWith("/health/");
    return metrics && !auth.protectsMetrics();
  }

  /** The token of the header, else of the query, else of the cookie; null if none. */
  private static String presented(RoutingContext rc) {
    String bearer = Authenticator.bearer(rc.request().getHeader("authorization"));
    if (bearer != null) {
      return bearer;
    }
    String query = rc.request().getParam(QUERY);
    if (query != null) {
      return query;
    }
    Cookie cookie = rc.request().getCookie(COOKIE);
    return cookie == null ? null : URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
  }

  /** The login form's POST: a valid token becomes the cookie, then the dashboard. */
  private void login(RoutingContext rc) {
    String token = rc.request().getFormAttribute("token");
    if (token == null || !auth.allows(token.strip())) {
      rc.response().setStatusCode(303).putHeader("location", LOGIN_PAGE + "?failed").end();
      return;
    }
    rc.response()
        .addCookie(
            Cookie.cookie(COOKIE, URLEncoder.encode(token.strip(), StandardCharsets.UTF_8))
                .setPath("/")
                .setHttpOnly(true)
                .setSecure(tls)
                .setSameSite(CookieSameSite.STRICT))
        .setStatusCode(303)
        .putHeader("location", "/")
        .end();
  }
}
