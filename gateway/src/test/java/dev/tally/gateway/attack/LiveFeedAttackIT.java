package dev.tally.gateway.attack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.Hostile;
import dev.tally.testing.HttpProbe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attacks F6 and F7 on the live feed, against the packaged jar in a JVM of 256 MiB: clients that
 * never read are closed and hold no more than the bound meanwhile, and one WebSocket's flood of
 * subscriptions is refused; through both, the gateway stays live, an honest client keeps getting
 * snapshots and every StatsD line sent is counted.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class LiveFeedAttackIT {
  static final int SERIES = 300;
  static final int NON_READERS = 150; // of each transport
  static final long LIVE_MAX_BYTES = 4 << 20;

  @Test
  void clientsThatNeverReadAreClosedWhileTheGatewayServesOn(Vertx vertx) throws Exception {
    try (GatewayProcess g =
            GatewayProcess.run(
                List.of("-Xmx256m"), "--live-slow-close", "3s", "--live-max-bytes", "4MiB");
        Hostile hostile = new Hostile()) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      seriesActive(probe, g.statsdPort());
      AtomicInteger honestSnapshots = honestReader(vertx, g.httpPort(), "attack.sent*");

      // a deflater per WebSocket would compress every message once per client on the HTTP loop
      assertThat(Hostile.webSocketHandshake(g.httpPort()))
          .startsWith("HTTP/1.1 101")
          .doesNotContainIgnoringCase("sec-websocket-extensions");
      hostile.nonReadingSse(g.httpPort(), NON_READERS);
      hostile.nonReadingWebSockets(g.httpPort(), NON_READERS);

      long sent = 0;
      long deadline = System.currentTimeMillis() + 90_000;
      double maxUnsent = 0;
      Exposition e;
      int round = 0;
      do {
        List<String> lines = new ArrayList<>(series(++round)); // frames change every tick
        for (int i = 0; i < 50; i++) {
          lines.add("attack.sent:1|c");
        }
        Hostile.statsd(g.statsdPort(), lines);
        sent += 50;
        assertThat(await(probe.get("/health/live")).status).isEqualTo(200);
        e = await(probe.scrape());
        maxUnsent = Math.max(maxUnsent, e.value("tally_live_unsent_bytes"));
      } while (e.value("tally_live_clients_closed_slow_total") < 2 * NON_READERS
          && System.currentTimeMillis() < deadline);

      assertThat(e.value("tally_live_clients_closed_slow_total"))
          .as("every client that never read is closed")
          .isEqualTo(2 * NON_READERS);
      // the bound, and at most one frame of every series over it (the write that began the excess)
      assertThat(maxUnsent).isPositive().isLessThanOrEqualTo(LIVE_MAX_BYTES + (1 << 20));
      long expected = sent;
      await(probe.scrapeUntil(x -> x.value("attack_sent_total") == expected));
      int before = honestSnapshots.get();
      await(probe.scrapeUntil(x -> honestSnapshots.get() >= before + 2));
      assertThat(honestSnapshots.get()).as("snapshots to the honest reader").isGreaterThan(5);
      Exposition after = await(probe.scrapeUntil(x -> x.value("tally_live_unsent_bytes") == 0));
      assertThat(after.value("tally_live_clients{transport=\"sse\"}")).isEqualTo(1);
      assertThat(after.value("tally_live_clients{transport=\"ws\"}")).isZero();
    }
  }

  @Test
  void aFloodOfSubscribeMessagesIsRefusedAndTheFeedGoesOn(Vertx vertx) throws Exception {
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      seriesActive(probe, g.statsdPort());
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocket ws = await(client.connect(g.httpPort(), "127.0.0.1", "/api/ws"));
      AtomicInteger errors = new AtomicInteger();
      ws.textMessageHandler(
          t -> {
            if (new JsonObject(t).getString("type").equals("error")) {
              errors.incrementAndGet();
            }
          });
      int flood = 5000;
      List<Future<Void>> writes = new ArrayList<>();
      for (int i = 0; i < flood; i++) {
        JsonObject msg =
            new JsonObject()
                .put("type", "subscribe")
                .put("match", new io.vertx.core.json.JsonArray().add("flood" + i + "*").add("*"));
        writes.add(ws.writeTextMessage(msg.encode()));
      }
      await(Future.all(writes));
      Exposition e =
          await(
              probe.scrapeUntil(
                  x ->
                      x.value("tally_live_subscribes_refused_total")
                          >= flood - 20 * 10)); // 20 in each 10 s the flood may span
      assertThat(e.value("tally_live_subscribes_refused_total")).isLessThanOrEqualTo(flood - 20);
      assertThat(await(probe.get("/health/live")).status).isEqualTo(200);
      AtomicInteger honest = honestReader(vertx, g.httpPort(), "*");
      await(probe.scrapeUntil(x -> honest.get() >= 3));
      await(probe.scrapeUntil(x -> errors.get() >= 1)); // the flooder was told why
    }
  }

  /**
   * Sends the {@link #SERIES} series until the gateway shows them all: UDP to a gateway that has
   * just started may be lost (its first collection, the heap guard of a 256 MiB heap), and a burst
   * sent once then waited for was this test's flake.
   */
  private static void seriesActive(HttpProbe probe, int statsdPort) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Hostile.statsd(statsdPort, series(0));
      try {
        await(
            probe.getUntil(
                "/metrics",
                r -> new Exposition(r.body).value("tally_series_active") >= SERIES,
                5_000));
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt == 10) {
          throw e;
        }
      }
    }
  }

  /**
   * SSE of {@code match} read as fast as it comes on a plain socket by a daemon thread: counts its
   * snapshot events until the stream ends.
   */
  private static AtomicInteger honestReader(Vertx vertx, int port, String match) throws Exception {
    AtomicInteger snapshots = new AtomicInteger();
    java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
    socket
        .getOutputStream()
        .write(
            ("GET /api/stream?match=" + match + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Thread reader =
        new Thread(
            () -> {
              String marker = "event: snapshot";
              String carry = "";
              byte[] buf = new byte[65536];
              try (socket) {
                for (int n; (n = socket.getInputStream().read(buf)) > 0; ) {
                  String s = carry + new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                  for (int i = s.indexOf(marker); i >= 0; i = s.indexOf(marker, i + 1)) {
                    snapshots.incrementAndGet();
                  }
                  carry = s.substring(Math.max(0, s.length() - marker.length() + 1));
                }
              } catch (java.io.IOException e) {
                // the stream ended
              }
            },
            "honest-sse");
    reader.setDaemon(true);
    reader.start();
    return snapshots;
  }

  /** One timer line per series, its value varying by round, with a 40-character tag. */
  static List<String> series(int round) {
    List<String> lines = new ArrayList<>(SERIES);
    for (int i = 0; i < SERIES; i++) {
      lines.add("attack.series" + i + ":" + (round % 97 + i) + "|ms|#host:" + "h".repeat(40));
    }
    return lines;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
