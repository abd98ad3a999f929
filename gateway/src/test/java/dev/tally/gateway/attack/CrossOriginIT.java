package dev.tally.gateway.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks D5 and D6: a page elsewhere cannot act with the dashboard's cookie (cross-origin posts
 * and WebSockets are refused, API bodies must be JSON), and tokens cannot be guessed at speed.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class CrossOriginIT {
  static final String TOKEN = "s3cret-token";
  static final String RULE =
      "{\"name\":\"r\",\"match\":\"x\",\"value\":\"value\",\"op\":\">\",\"threshold\":1}";

  @Test
  void crossOriginWritesAndNonJsonBodiesAreRefused(Vertx vertx) throws Exception {
    try (TestGateway g = TestGateway.start(vertx)) {
      int port = g.gateway().httpPort();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions());
      String self = "http://127.0.0.1:" + port;
      assertThat(
              post(http, port, "/api/rules", "text/plain", "https://evil.example", RULE)
                  .statusCode())
          .isEqualTo(403);
      assertThat(post(http, port, "/api/rules", "text/plain", null, RULE).statusCode())
          .isEqualTo(415);
      assertThat(
              post(http, port, "/api/rules", "application/json", "https://evil.example", RULE)
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              post(http, port, "/api/rules", "application/json; charset=utf-8", self, RULE)
                  .statusCode())
          .isEqualTo(201);
      assertThatThrownBy(() -> webSocket(vertx, port, "https://evil.example"))
          .hasMessageContaining("403");
      webSocket(vertx, port, self).close();
    }
  }

  @Test
  void wrongTokensFromOneAddressAreLimited(Vertx vertx) throws Exception {
    try (TestGateway g =
        TestGateway.start(vertx, "--auth-tokens", TOKEN, "--auth-failures-per-minute", "10")) {
      int port = g.gateway().httpPort();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions());
      int refused = 0;
      int tooMany = 0;
      for (int i = 0; i < 300; i++) {
        HttpClientResponse r = TestGateway.login(http, port, "guess-" + i);
        if (r.statusCode() == 429) {
          tooMany++;
          assertThat(r.getHeader("retry-after")).isNotNull();
        } else if ("/login.html?failed".equals(r.getHeader("location"))) {
          refused++;
        }
      }
      assertThat(refused).as("guesses checked").isEqualTo(10);
      assertThat(tooMany).isEqualTo(290);
      // while the address waits, even the right token is not checked
      assertThat(TestGateway.login(http, port, TOKEN).statusCode()).isEqualTo(429);
      assertThat(
              http.request(HttpMethod.GET, port, "127.0.0.1", "/api/series")
                  .compose(req -> req.putHeader("authorization", "Bearer " + TOKEN).send())
                  .await(20, TimeUnit.SECONDS)
                  .statusCode())
          .isEqualTo(429);
    }
  }

  @Test
  void staleSessionCookiesAreNotGuessesAndASessionPassesWhileItsAddressIsLimited(Vertx vertx)
      throws Exception {
    try (TestGateway g =
        TestGateway.start(vertx, "--auth-tokens", TOKEN, "--auth-failures-per-minute", "10")) {
      int port = g.gateway().httpPort();
      HttpClient http = vertx.createHttpClient(new HttpClientOptions());
      String cookie = TestGateway.login(http, port, TOKEN).getHeader("set-cookie").split(";")[0];
      // a dashboard open across a restart: its cookie names a session the gateway no longer has
      for (int i = 0; i < 50; i++) {
        assertThat(get(http, port, "tally_session=stale-" + i, null)).isEqualTo(401);
      }
      assertThat(TestGateway.login(http, port, TOKEN).statusCode())
          .as("not locked out")
          .isEqualTo(303);
      for (int i = 0; i < 20; i++) {
        TestGateway.login(http, port, "guess-" + i);
      }
      assertThat(get(http, port, null, "Bearer " + TOKEN)).as("the address guessed").isEqualTo(429);
      assertThat(get(http, port, cookie, null)).as("a logged-in session").isEqualTo(200);
    }
  }

  private static int get(HttpClient http, int port, String cookie, String authorization)
      throws Exception {
    return http.request(HttpMethod.GET, port, "127.0.0.1", "/api/series")
        .compose(
            req -> {
              if (cookie != null) {
                req.putHeader("cookie", cookie);
              }
              if (authorization != null) {
                req.putHeader("authorization", authorization);
              }
              return req.send().compose(resp -> resp.body().map(b -> resp.statusCode()));
            })
        .await(20, TimeUnit.SECONDS);
  }

  private static io.vertx.core.http.WebSocket webSocket(Vertx vertx, int port, String origin)
      throws Exception {
    return vertx
        .createWebSocketClient()
        .connect(
            new WebSocketConnectOptions()
                .setPort(port)
                .setHost("127.0.0.1")
                .setURI("/api/ws")
                .addHeader("origin", origin))
        .await(20, TimeUnit.SECONDS);
  }

  private static HttpClientResponse post(
      HttpClient http, int port, String path, String type, String origin, String body)
      throws Exception {
    return http.request(HttpMethod.POST, port, "127.0.0.1", path)
        .compose(
            req -> {
              req.putHeader("content-type", type);
              if (origin != null) {
                req.putHeader("origin", origin);
              }
              return req.send(body).compose(resp -> resp.body().map(b -> resp));
            })
        .await(20, TimeUnit.SECONDS);
  }
}
