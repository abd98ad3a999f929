package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.DebianTool;
import dev.tally.testing.Exposition;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

  @Test
  void aFiringAlertReachesTheWebhookAndAlertmanager(Vertx vertx, @TempDir Path dir)
      throws Exception {
    DebianTool.require(ALERTMANAGER, "prometheus-alertmanager");
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    int amPort = TestGateway.freePort();
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
            "http://127.0.0.1:" + amPort,
            "--external-url",
            "https://tally.example/")) {
      g.send("cpu.load:0.95|g|#host:web-1");

      HttpProbe manager = HttpProbe.of(vertx, amPort);
      manager.getUntil("/-/ready", r -> r.status == 200, 30_000).await(35, TimeUnit.SECONDS);
      manager
          .getUntil(ACTIVE, r -> !hooks.isEmpty() && !active(r).isEmpty(), 30_000)
          .await(35, TimeUnit.SECONDS);
      // the body the webhook refused came again, unchanged
      assertThat(refused).singleElement().isEqualTo(hooks.get(0).encode());
      Exposition m =
          g.scrapeUntil(
                  x ->
                      x.value("tally_alert_deliveries_total{receiver=\"webhook\",result=\"sent\"}")
                              == 1
                          && x.value(
                                  "tally_alert_deliveries_total{receiver=\"alertmanager\",result=\"sent\"}")
                              == 1)
              .await(20, TimeUnit.SECONDS);
      assertThat(m.value("tally_alert_deliveries_total{receiver=\"webhook\",result=\"failed\"}"))
          .isZero(); // the refused one was retried, not given up
      JsonObject firing = hooks.get(0).getJsonArray("notifications").getJsonObject(0);
      assertThat(firing.getString("kind")).isEqualTo("firing");
      assertThat(firing.getJsonObject("alert").getJsonObject("labels").getMap())
          .containsEntry("alertname", "hot-cpu")
          .containsEntry("host", "web-1");
      JsonObject listed = active(manager.get(ACTIVE).await(20, TimeUnit.SECONDS)).getJsonObject(0);
      assertThat(listed.getJsonObject("labels").getMap())
          .containsEntry("alertname", "hot-cpu")
          .containsEntry("severity", "critical")
          .containsEntry("host", "web-1");
      assertThat(listed.getJsonObject("annotations").getString("summary")).isEqualTo("load 0.95");
      assertThat(listed.getJsonObject("status").getString("state")).isEqualTo("active");
      // the link back is where people reach the gateway, not this machine's name
      assertThat(listed.getString("generatorURL")).isEqualTo("https://tally.example/api/alerts");

      // the load drops: the webhook hears it resolved, Alertmanager no longer lists it active
      g.send("cpu.load:0.2|g|#host:web-1");
      manager
          .getUntil(
              ACTIVE,
              r ->
                  active(r).isEmpty()
                      && hooks.stream()
                          .anyMatch(
                              h ->
                                  h.getJsonArray("notifications")
                                      .getJsonObject(0)
                                      .getString("kind")
                                      .equals("resolved")),
              30_000)
          .await(35, TimeUnit.SECONDS);
    } finally {
      am.destroy();
      am.waitFor(10, TimeUnit.SECONDS);
      receiver.close();
    }
  }

  /** Alertmanager's active alerts. */
  static final String ACTIVE = "/api/v2/alerts?active=true&silenced=false&inhibited=false";

  /** The alerts of an answer to {@link #ACTIVE}; none if it was not a 200. */
  private static JsonArray active(TestGateway.Response r) {
    return r.status == 200 ? new JsonArray(r.body) : new JsonArray();
  }
}
