package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.LiveEvents;
import dev.tally.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON API and the live feed over real SSE and WebSocket connections (CONTRACT §7). */
@ExtendWith(VertxExtension.class)
class LiveFeedIT {
  private TestGateway tally;

  @AfterEach
  void stop() throws Exception {
    if (tally != null) {
      tally.close();
    }
  }

  private HttpClient http(Vertx vertx, int connections) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(tally.gateway().httpPort()),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  /**
   * Opens an SSE stream on the client's default host and port; its events land in {@code events}.
   */
  private static Future<HttpClientResponse> sse(HttpClient client, String uri, LiveEvents events) {
    return events.openSse(client, new RequestOptions().setURI(uri));
  }

  @Test
  void sseClientGetsHelloBackfillAndExactSnapshotsOfItsSubscription(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
    tally.send("api.requests:3|c|#env:prod\nqueue.depth:7|g\napi.latency:250|ms");
    tally.scrapeUntil(m -> m.value("queue_depth") == 7).await(20, TimeUnit.SECONDS);
    LiveEvents events = new LiveEvents(vertx);
    HttpClientResponse resp =
        sse(http(vertx, 1), "/api/stream?match=api.requests*,api.lat*", events)
            .await(20, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.getHeader("content-type")).isEqualTo("text/event-stream");
    events.until(e -> e.ofType("snapshot").size() >= 1, 20_000).await(25, TimeUnit.SECONDS);
    tally.send("api.requests:2|c|#env:prod\nqueue.depth:9|g");
    events
        .until(e -> counter(e.ofType("snapshot").get(e.ofType("snapshot").size() - 1)) == 5, 20_000)
        .await(25, TimeUnit.SECONDS);

    List<JsonObject> all = events.messages();
    assertThat(all.get(0).getString("type")).isEqualTo("hello");
    assertThat(all.get(0).getLong("tick_ms")).isEqualTo(100);
    assertThat(all.get(1).getString("type")).isEqualTo("backfill");
    JsonObject snapshot = events.ofType("snapshot").get(events.ofType("snapshot").size() - 1);
    JsonArray series = snapshot.getJsonArray("series");
    assertThat(series).hasSize(2); // queue.depth is not subscribed
    JsonObject latency = series.getJsonObject(0);
    assertThat(latency.getString("key")).isEqualTo("api_latency_seconds{}");
    assertThat(latency.getString("kind")).isEqualTo("timer");
    assertThat(latency.getDouble("count")).isEqualTo(1);
    assertThat(latency.getDouble("sum")).isEqualTo(0.25); // exact; min and max are per tick
    assertThat(latency.getDouble("p99"))
        .isCloseTo(0.25, org.assertj.core.data.Percentage.withPercentage(1));
    JsonObject requests = series.getJsonObject(1);
    assertThat(requests.getJsonObject("tags").getString("env")).isEqualTo("prod");
    assertThat(requests.getDouble("value")).isEqualTo(5);
    // SSE ids are the ticks: a reconnecting browser sends the last one as Last-Event-ID
    assertThat(events.ids().get(events.ids().size() - 1)).isEqualTo(snapshot.getLong("ts"));
  }

  /** 33 distinct globs: one more than a subscription may hold. */
  private static String manyGlobs() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      sb.append(i > 0 ? "," : "").append("g").append(i);
    }
    return sb.toString();
  }

  private static double counter(JsonObject snapshot) {
    for (Object o : snapshot.getJsonArray("series")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("key").startsWith("api_requests_total")) {
        return s.getDouble("value");
      }
    }
    return Double.NaN;
  }

  @Test
  void webSocketClientSubscribesAndUnsubscribes(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
    tally.send("cart.items:4|g\ncheckout.total:1|c");
    tally.scrapeUntil(m -> m.value("cart_items") == 4).await(20, TimeUnit.SECONDS);
    LiveEvents events = new LiveEvents(vertx);
    WebSocketClient client = vertx.createWebSocketClient();
    ClientWebSocket ws = client.webSocket();
    ws.textMessageHandler(events::frame); // before connecting: hello comes at once
    ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(tally.gateway().httpPort())
                .setURI("/api/ws"))
        .await(20, TimeUnit.SECONDS);
    ws.writeTextMessage("{\"type\":\"subscribe\",\"match\":[\"cart.*\"]}");
    events.until(e -> e.ofType("snapshot").size() >= 2, 20_000).await(25, TimeUnit.SECONDS);
    assertThat(events.messages().get(0).getString("type")).isEqualTo("hello");
    JsonArray backfill = events.ofType("backfill").get(0).getJsonArray("series");
    assertThat(backfill).hasSize(1);
    assertThat(backfill.getJsonObject(0).getJsonArray("points").getJsonObject(0).getDouble("value"))
        .isEqualTo(4);
    JsonArray series = events.ofType("snapshot").get(1).getJsonArray("series");
    assertThat(series).hasSize(1);
    assertThat(series.getJsonObject(0).getString("key")).isEqualTo("cart_items{}");

    ws.writeTextMessage("{\"type\":\"nonsense\"}");
    events.until(e -> !e.ofType("error").isEmpty(), 20_000).await(25, TimeUnit.SECONDS);
    ws.writeTextMessage("{\"type\":\"unsubscribe\"}");
    int afterUnsubscribe = events.ofType("snapshot").size();
    LiveEvents clock = new LiveEvents(vertx); // another client, to see ticks go by
    sse(http(vertx, 1), "/api/stream", clock).await(20, TimeUnit.SECONDS);
    clock.until(e -> e.ofType("snapshot").size() >= 5, 20_000).await(25, TimeUnit.SECONDS);
    // five ticks later: at most one snapshot was already on its way when the message arrived
    assertThat(events.ofType("snapshot").size()).isLessThanOrEqualTo(afterUnsubscribe + 1);
    client.close();
  }

  @Test
  void aClientThatNeverReadsGetsCoalescedFramesInsteadOfBuffering(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
    StringBuilder packet = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      packet.append("slow.series.").append(i).append(":1|c\n");
      if (i % 100 == 99) {
        tally.send(packet.toString());
        packet.setLength(0);
      }
    }
    tally.scrapeUntil(m -> m.value("tally_series_active") == 3000).await(20, TimeUnit.SECONDS);
    HttpClient client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(tally.gateway().httpPort())
                .setReceiveBufferSize(4096));
    HttpClientResponse resp =
        client
            .request(HttpMethod.GET, "/api/stream?match=slow*")
            .compose(req -> req.send())
            .await(20, TimeUnit.SECONDS);
    resp.pause(); // never reads: the server's socket and write queue fill up
    Exposition m =
        tally
            .scrapeUntil(e -> e.value("tally_live_frames_coalesced_total") >= 3)
            .await(30, TimeUnit.SECONDS);
    assertThat(m.value("tally_live_clients{transport=\"sse\"}")).isEqualTo(1);
    client.close();
  }

  @Test
  void fiveHundredSseClientsAllReceiveASnapshot(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    tally = TestGateway.start(vertx);
    tally.send("fanout.test:1|c");
    tally.scrapeUntil(m -> m.value("fanout_test_total") == 1).await(20, TimeUnit.SECONDS);
    HttpClient client = http(vertx, 500);
    Checkpoint snapshots = ctx.checkpoint(500);
    for (int i = 0; i < 500; i++) {
      LiveEvents events = new LiveEvents(vertx);
      sse(client, "/api/stream?match=fanout*", events)
          .compose(r -> events.until(e -> !e.ofType("snapshot").isEmpty(), 60_000))
          .onComplete(
              ctx.succeeding(
                  e -> {
                    JsonObject s = e.ofType("snapshot").get(0);
                    ctx.verify(
                        () ->
                            assertThat(s.getJsonArray("series").getJsonObject(0).getDouble("value"))
                                .isEqualTo(1));
                    snapshots.flag();
                  }));
    }
    assertThat(ctx.awaitCompletion(90, TimeUnit.SECONDS)).isTrue();
    if (ctx.failed()) {
      throw new AssertionError(ctx.causeOfFailure());
    }
    Exposition m = tally.scrape().await(20, TimeUnit.SECONDS);
    assertThat(m.value("tally_live_clients{transport=\"sse\"}")).isEqualTo(500);
    client.close();
  }

  @Test
  void clientsBeyondTheLimitGet503AndTheSeriesApiAnswers(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx, "--live-max-clients", "1");
    tally.send("api.latency:100|ms\napi.latency:300|ms\nother:1|g");
    tally.scrapeUntil(m -> m.value("other") == 1).await(20, TimeUnit.SECONDS);
    HttpClient client = http(vertx, 4);
    LiveEvents first = new LiveEvents(vertx);
    assertThat(sse(client, "/api/stream", first).await(20, TimeUnit.SECONDS).statusCode())
        .isEqualTo(200);
    HttpClientResponse second =
        sse(client, "/api/stream", new LiveEvents(vertx)).await(20, TimeUnit.SECONDS);
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(second.getHeader("retry-after")).isNotNull();

    // the series reach the feed with the first tick that holds every shard's: poll, boundedly
    long deadline = System.currentTimeMillis() + 20_000;
    TestGateway.Response list;
    do {
      assertThat(System.currentTimeMillis()).as("series in the feed").isLessThan(deadline);
      list = tally.get("/api/series?match=api.*&limit=10").await(20, TimeUnit.SECONDS);
      assertThat(list.status).isEqualTo(200);
    } while (list.json().getInteger("total") == 0);
    JsonObject body = list.json();
    assertThat(body.getInteger("total")).isEqualTo(1);
    String key = body.getJsonArray("series").getJsonObject(0).getString("key");
    assertThat(key).isEqualTo("api_latency_seconds{}");
    TestGateway.Response history =
        tally
            .get(
                "/api/series/"
                    + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8)
                    + "?window=5m")
            .await(20, TimeUnit.SECONDS);
    assertThat(history.status).isEqualTo(200);
    JsonArray points = history.json().getJsonArray("points");
    assertThat(points).isNotEmpty();
    assertThat(points.getJsonObject(points.size() - 1).getDouble("max")).isEqualTo(0.3);
    assertThat(tally.get("/api/series?match=" + manyGlobs()).await(20, TimeUnit.SECONDS).status)
        .isEqualTo(400);
    assertThat(tally.get("/api/stream?match=" + manyGlobs()).await(20, TimeUnit.SECONDS).status)
        .isEqualTo(400);
    assertThat(tally.get("/api/series/nope%7B%7D").await(20, TimeUnit.SECONDS).status)
        .isEqualTo(404);
    assertThat(tally.get("/api/series/x?window=forever").await(20, TimeUnit.SECONDS).status)
        .isEqualTo(400);
    // each bad parameter is named; a bad switch is refused, not read as off
    for (String[] bad :
        new String[][] {
          {"/api/series?limit=-1", "limit"},
          {"/api/series/x?window=forever", "window"},
          {"/api/stream?match=" + manyGlobs(), "match"},
          {"/api/stream?logs=yes", "logs"}
        }) {
      TestGateway.Response r = tally.get(bad[0]).await(20, TimeUnit.SECONDS);
      assertThat(r.status).as(bad[0]).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .as(bad[0])
          .isEqualTo(bad[1]);
    }
    client.close();
  }
}
