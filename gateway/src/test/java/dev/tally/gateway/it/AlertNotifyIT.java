package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * StatsD traffic crosses a rule's threshold: the alert fires, a webhook receiver (a real HTTP
 * server that refuses the first delivery) gets it, and a real Alertmanager (Debian's {@code
 * prometheus-alertmanager}, started here on a free port) lists it through its API.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class AlertNotifyIT {
  static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void aFiringAlertReachesTheWebhookAndAlertmanager(Vertx vertx, @TempDir Path dir)
      throws Exception {
    if (!Files.isExecutable(ALERTMANAGER)) {
      assertThat(System.getenv("CI"))
          .as("Alertmanager is missing under CI: .ci/run must install prometheus-alertmanager")
          .isNull();
      assumeTrue(false, "prometheus-alertmanager not installed: notification test skipped");
    }
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    int amPort = freePort();
    Process am =
        new ProcessBuilder(
                ALERTMANAGER.toString(),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("alertmanager.log").toFile())
            .start();
    List<JsonObject> hooks = new CopyOnWriteArrayList<>();
    List<String> refused = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer receiver =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              if (calls.incrementAndGet() == 1) {
                                refused.add(b.toString());
                                req.response().setStatusCode(500).end(); // a retry must follow
                              } else {
                                hooks.add(b.toJsonObject());
                                req.response().setStatusCode(204).end();
                              }
                            }))
            .listen(0, "127.0.0.1")
            .await(20, TimeUnit.SECONDS);
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        "- {name: hot-cpu, match: cpu.load, value: value, op: '>', threshold: 0.9,"
            + " severity: critical, annotations: {summary: 'load {{ $value }}'}}\n");
    try (TestGateway g =
        TestGateway.start(
            vertx,
            "--rules",
            rules.toString(),
            "--alert-webhook",
            "http://127.0.0.1:" + receiver.actualPort() + "/hook",
            "--alertmanager",
            "http://127.0.0.1:" + amPort)) {
      g.send("cpu.load:0.95|g|#host:web-1");

      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.currentTimeMillis() + 30_000;
      while (!ready(http, amPort)) {
        assertThat(System.currentTimeMillis()).as("Alertmanager ready").isLessThan(deadline);
      }
      while (hooks.isEmpty() || amAlerts(http, amPort).isEmpty()) {
        assertThat(System.currentTimeMillis())
            .as(
                "webhook "
                    + hooks
                    + ", Alertmanager log "
                    + Files.readString(dir.resolve("alertmanager.log")))
            .isLessThan(deadline);
      }
      // the body the webhook refused came again, unchanged
      assertThat(refused).singleElement().isEqualTo(hooks.get(0).encode());
      Exposition m =
          g.scrapeUntil(
                  x ->
                      x.value("tally_alert_deliveries_total{receiver=\"webhook\",result=\"sent\"}")
                              >= 1
                          && x.value(
                                  "tally_alert_deliveries_total{receiver=\"alertmanager\",result=\"sent\"}")
                              >= 1)
              .await(20, TimeUnit.SECONDS);
      assertThat(m.value("tally_alert_deliveries_total{receiver=\"webhook\",result=\"failed\"}"))
          .isZero(); // the refused one was retried, not given up
      JsonObject firing = hooks.get(0).getJsonArray("notifications").getJsonObject(0);
      assertThat(firing.getString("kind")).isEqualTo("firing");
      assertThat(firing.getJsonObject("alert").getJsonObject("labels").getMap())
          .containsEntry("alertname", "hot-cpu")
          .containsEntry("host", "web-1");
      JsonObject listed = amAlerts(http, amPort).getJsonObject(0);
      assertThat(listed.getJsonObject("labels").getMap())
          .containsEntry("alertname", "hot-cpu")
          .containsEntry("severity", "critical")
          .containsEntry("host", "web-1");
      assertThat(listed.getJsonObject("annotations").getString("summary")).isEqualTo("load 0.95");
      assertThat(listed.getJsonObject("status").getString("state")).isEqualTo("active");

      // the load drops: the webhook hears it resolved, Alertmanager no longer lists it active
      g.send("cpu.load:0.2|g|#host:web-1");
      deadline = System.currentTimeMillis() + 30_000;
      while (hooks.stream()
              .noneMatch(
                  h ->
                      h.getJsonArray("notifications")
                          .getJsonObject(0)
                          .getString("kind")
                          .equals("resolved"))
          || !amAlerts(http, amPort).isEmpty()) {
        assertThat(System.currentTimeMillis()).as("resolved: " + hooks).isLessThan(deadline);
      }
    } finally {
      am.destroy();
      am.waitFor(10, TimeUnit.SECONDS);
      receiver.close();
    }
  }

  /** The active alerts Alertmanager lists ({@code GET /api/v2/alerts?active=true}). */
  private static JsonArray amAlerts(HttpClient http, int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v2/alerts?active=true&silenced=false&inhibited=false"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("Alertmanager's answer: " + r.body()).isEqualTo(200);
    return new JsonArray(r.body());
  }

  /** True once Alertmanager answers its readiness check. */
  private static boolean ready(HttpClient http, int port) throws Exception {
    try {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false; // not listening yet
    }
  }
}
