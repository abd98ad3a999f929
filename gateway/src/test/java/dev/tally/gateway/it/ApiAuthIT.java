package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.testing.LiveEvents;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bearer tokens on the HTTP listener: the JSON API, the dashboard (login form and cookie), SSE and
 * the WebSocket, with /metrics and /health open unless {@code auth-metrics}.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class ApiAuthIT {
  static final String TOKEN = "t0ken/with+chars=";

  private static HttpClientResponse get(HttpClient client, int port, String uri, String... headers)
      throws Exception {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setPort(port)
            .setHost("127.0.0.1")
            .setURI(uri);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      o.addHeader(headers[i], headers[i + 1]);
    }
    return client
        .request(o)
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp)))
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void apiDashboardAndLiveFeedsNeedTheToken(Vertx vertx) throws Exception {
    try (TestGateway g = TestGateway.start(vertx, "--auth-tokens", TOKEN)) {
      int port = g.gateway().httpPort();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions());

      HttpClientResponse refused = get(http, port, "/api/series");
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.getHeader("www-authenticate")).isEqualTo("Bearer realm=\"tally\"");
      assertThat(get(http, port, "/api/series", "authorization", "Bearer wrong").statusCode())
          .isEqualTo(401);
      assertThat(get(http, port, "/api/series", "authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
      assertThat(
              get(
                      http,
                      port,
                      "/api/series?access_token="
                          + java.net.URLEncoder.encode(TOKEN, StandardCharsets.UTF_8))
                  .statusCode())
          .isEqualTo(200);

      // a browser without the cookie is sent to the login page, which is open
      HttpClientResponse page = get(http, port, "/", "accept", "text/html");
      assertThat(page.statusCode()).isEqualTo(303);
      assertThat(page.getHeader("location")).isEqualTo("/login.html");
      assertThat(get(http, port, "/login.html").statusCode()).isEqualTo(200);

      // the login form: a wrong token back to the form, the right one becomes the cookie
      assertThat(TestGateway.login(http, port, "wrong").getHeader("location"))
          .isEqualTo("/login.html?failed");
      HttpClientResponse ok = TestGateway.login(http, port, TOKEN);
      assertThat(ok.statusCode()).isEqualTo(303);
      assertThat(ok.getHeader("location")).isEqualTo("/");
      String setCookie = ok.getHeader("set-cookie");
      assertThat(setCookie)
          .startsWith("tally_session=")
          .doesNotContain(TOKEN)
          .containsIgnoringCase("HttpOnly")
          .contains("SameSite=Strict", "Path=/");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));

      assertThat(get(http, port, "/", "accept", "text/html", "cookie", cookie).statusCode())
          .isEqualTo(200);
      assertThat(get(http, port, "/api/overview", "cookie", cookie).statusCode()).isEqualTo(200);

      // SSE with the cookie (as EventSource sends it) gets hello; without, 401
      LiveEvents events = new LiveEvents(vertx);
      events.openSse(
          http,
          new RequestOptions()
              .setPort(port)
              .setHost("127.0.0.1")
              .setURI("/api/stream?match=*")
              .addHeader("cookie", cookie));
      events.until(e -> !e.ofType("hello").isEmpty(), 10_000).await(20, TimeUnit.SECONDS);
      assertThat(get(http, port, "/api/stream?match=*").statusCode()).isEqualTo(401);

      // the WebSocket handshake with the cookie or the header connects; without, it is refused
      WebSocketClient ws = vertx.createWebSocketClient();
      WebSocket withCookie =
          ws.connect(
                  new WebSocketConnectOptions()
                      .setPort(port)
                      .setHost("127.0.0.1")
                      .setURI("/api/ws")
                      .addHeader("cookie", cookie))
              .await(20, TimeUnit.SECONDS);
      withCookie.close();
      WebSocket withHeader =
          ws.connect(
                  new WebSocketConnectOptions()
                      .setPort(port)
                      .setHost("127.0.0.1")
                      .setURI("/api/ws")
                      .addHeader("authorization", "Bearer " + TOKEN))
              .await(20, TimeUnit.SECONDS);
      withHeader.close();
      assertThatThrownBy(
              () ->
                  ws.connect(
                          new WebSocketConnectOptions()
                              .setPort(port)
                              .setHost("127.0.0.1")
                              .setURI("/api/ws"))
                      .await(20, TimeUnit.SECONDS))
          .hasMessageContaining("401");

      // scrapes and health checks stay open by default
      assertThat(get(http, port, "/metrics").statusCode()).isEqualTo(200);
      assertThat(get(http, port, "/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void authMetricsProtectsMetricsAndHealth(Vertx vertx) throws Exception {
    try (TestGateway g =
        TestGateway.start(vertx, "--auth-tokens", TOKEN, "--auth-metrics", "true")) {
      int port = g.gateway().httpPort();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions());
      assertThat(get(http, port, "/metrics").statusCode()).isEqualTo(401);
      assertThat(get(http, port, "/health").statusCode()).isEqualTo(401);
      assertThat(get(http, port, "/metrics", "authorization", "Bearer " + TOKEN).statusCode())
          .isEqualTo(200);
    }
  }
}
