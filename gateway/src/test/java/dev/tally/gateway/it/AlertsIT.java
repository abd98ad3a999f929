package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.LiveEvents;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The alerts API (CONTRACT §8) on a running gateway fed by StatsD. */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class AlertsIT {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(TestGateway g, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.gateway().httpPort() + path))
            .header("content-type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonArray alerts(TestGateway g) throws Exception {
    return new JsonObject(send(g, "GET", "/api/alerts", null).body()).getJsonArray("alerts");
  }

  @Test
  void aRuleFromTheFileFiresOnStatsdTrafficAndShowsInAlertsAndMetrics(
      Vertx vertx, @TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        "rules:\n"
            + "  - name: deep-queue\n"
            + "    match: queue.depth\n"
            + "    value: value\n"
            + "    op: '>'\n"
            + "    threshold: 10\n"
            + "    for: 200ms\n"
            + "    severity: critical\n"
            + "    labels: {team: core}\n"
            + "    annotations: {summary: 'depth {{ $value }}'}\n");
    Path audit = dir.resolve("audit.jsonl");
    try (TestGateway g =
        TestGateway.start(
            vertx, "--rules", rules.toString(), "--alert-audit-file", audit.toString())) {
      LiveEvents events = new LiveEvents(vertx);
      events
          .openSse(
              vertx.createHttpClient(),
              new io.vertx.core.http.RequestOptions()
                  .setPort(g.gateway().httpPort())
                  .setHost("127.0.0.1")
                  .setURI("/api/stream?match=nothing"))
          .await(20, TimeUnit.SECONDS);
      events.until(e -> !e.ofType("hello").isEmpty(), 10_000).await(20, TimeUnit.SECONDS);
      g.send("queue.depth:42|g|#env:prod");
      Exposition e =
          g.scrapeUntil(
                  x ->
                      x.value(
                              "ALERTS{alertname=\"deep-queue\",alertstate=\"firing\",env=\"prod\","
                                  + "severity=\"critical\",team=\"core\"}")
                          == 1)
              .await(20, TimeUnit.SECONDS);
      assertThat(e.text()).contains("# TYPE ALERTS gauge");
      Promtool.assertClean(e.text());
      JsonObject alert = alerts(g).getJsonObject(0);
      assertThat(alert.getString("rule")).isEqualTo("deep-queue");
      assertThat(alert.getString("state")).isEqualTo("firing");
      assertThat(alert.getDouble("value")).isEqualTo(42.0);
      assertThat(alert.getJsonObject("annotations").getString("summary")).isEqualTo("depth 42");
      // live clients hear of it, whatever they subscribed to
      JsonObject message =
          events
              .until(x -> !x.ofType("alert").isEmpty(), 10_000)
              .await(20, TimeUnit.SECONDS)
              .ofType("alert")
              .get(0);
      assertThat(message.getString("kind")).isEqualTo("firing");
      assertThat(message.getJsonObject("alert").getString("rule")).isEqualTo("deep-queue");

      // a rule made through the API is written to a file of its own, beside the rules file
      assertThat(
              send(
                      g,
                      "POST",
                      "/api/rules",
                      "{\"name\":\"second\",\"match\":\"x\",\"value\":\"value\","
                          + "\"op\":\"<\",\"threshold\":0}")
                  .statusCode())
          .isEqualTo(201);
      assertThat(
              new JsonObject(Files.readString(dir.resolve("api-rules.json"))).getJsonArray("rules"))
          .extracting(r -> ((JsonObject) r).getString("name"))
          .containsExactly("second");
      assertThat(Files.readString(rules)).startsWith("rules:\n  - name: deep-queue\n");

      // acknowledge, then the condition ends: resolved, and gone from ALERTS
      HttpResponse<String> ack =
          send(
              g,
              "POST",
              "/api/alerts/" + alert.getString("id") + "/ack",
              "{\"by\":\"ana\",\"comment\":\"on it\"}");
      assertThat(ack.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ack.body()).getJsonObject("ack").getString("by")).isEqualTo("ana");
      g.send("queue.depth:3|g|#env:prod");
      g.scrapeUntil(x -> !x.text().contains("ALERTS{")).await(20, TimeUnit.SECONDS);
      JsonObject resolved = alerts(g).getJsonObject(0);
      assertThat(resolved.getString("state")).isEqualTo("resolved");
      // the incident's timeline, and the audit log (newest first), also in its file
      assertThat(resolved.getJsonArray("timeline"))
          .extracting(x -> ((JsonObject) x).getString("event"))
          .containsExactly("pending", "firing", "acknowledged", "resolved");
      JsonArray entries =
          new JsonObject(send(g, "GET", "/api/alerts/audit?limit=4", null).body())
              .getJsonArray("entries");
      assertThat(entries)
          .extracting(x -> ((JsonObject) x).getString("event"))
          .containsExactly("alert_resolved", "alert_acknowledged", "rule_created", "alert_firing");
      assertThat(send(g, "GET", "/api/alerts/audit?limit=0", null).statusCode()).isEqualTo(400);
      long deadline = System.currentTimeMillis() + 20_000;
      while (!Files.exists(audit) || !Files.readString(audit).contains("alert_resolved")) {
        assertThat(System.currentTimeMillis()).as("audit file written").isLessThan(deadline);
        g.scrape().await(20, TimeUnit.SECONDS); // paces the look: one round trip each
      }
      assertThat(Files.readAllLines(audit))
          .extracting(line -> new JsonObject(line).getString("event"))
          .containsSubsequence(
              "rule_created", "alert_firing", "alert_acknowledged", "alert_resolved");
    }
  }

  @Test
  void rulesAreCreatedReadReplacedAndDeletedAndBadOnesRefusedWithEveryReason(Vertx vertx)
      throws Exception {
    try (TestGateway g = TestGateway.start(vertx)) {
      String rule =
          "{\"name\":\"api-slow\",\"match\":\"api.latency*\",\"tags\":{\"env\":\"prod\"},"
              + "\"value\":\"p99\",\"op\":\">\",\"threshold\":0.5,\"for\":\"30s\","
              + "\"severity\":\"critical\",\"repeat\":\"5m\"}";
      assertThat(send(g, "POST", "/api/rules", rule).statusCode()).isEqualTo(201);
      assertThat(send(g, "POST", "/api/rules", rule).statusCode()).isEqualTo(409);
      JsonObject read = new JsonObject(send(g, "GET", "/api/rules/api-slow", null).body());
      assertThat(read.getDouble("threshold")).isEqualTo(0.5);
      HttpResponse<String> replaced =
          send(g, "PUT", "/api/rules/api-slow", rule.replace("0.5", "0.8"));
      assertThat(replaced.statusCode()).isEqualTo(200);
      assertThat(
              new JsonObject(send(g, "GET", "/api/rules/api-slow", null).body())
                  .getDouble("threshold"))
          .as("the rule as stored, read again")
          .isEqualTo(0.8);
      assertThat(new JsonObject(send(g, "GET", "/api/rules", null).body()).getJsonArray("rules"))
          .hasSize(1);

      HttpResponse<String> bad =
          send(
              g,
              "POST",
              "/api/rules",
              "{\"name\":\"x\",\"match\":\"\",\"value\":\"p42\",\"op\":\">\",\"threshold\":1,"
                  + "\"for\":\"soon\",\"colour\":\"red\"}");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(new JsonObject(bad.body()).getJsonArray("errors"))
          .extracting(o -> ((JsonObject) o).getString("field"))
          .containsExactlyInAnyOrder("match", "value", "for", "colour");
      assertThat(send(g, "POST", "/api/rules", "not json").statusCode()).isEqualTo(400);

      assertThat(send(g, "DELETE", "/api/rules/api-slow", null).statusCode()).isEqualTo(204);
      assertThat(send(g, "DELETE", "/api/rules/api-slow", null).statusCode()).isEqualTo(404);
      assertThat(send(g, "GET", "/api/rules/api-slow", null).statusCode()).isEqualTo(404);

      // silences
      HttpResponse<String> silence =
          send(
              g,
              "POST",
              "/api/silences",
              "{\"matchers\":{\"alertname\":\"api-slow\"},\"until\":\"2099-01-01T00:00:00Z\","
                  + "\"by\":\"bo\",\"comment\":\"maintenance\"}");
      assertThat(silence.statusCode()).isEqualTo(201);
      String id = new JsonObject(silence.body()).getString("id");
      assertThat(
              new JsonObject(send(g, "GET", "/api/silences", null).body()).getJsonArray("silences"))
          .hasSize(1);
      assertThat(send(g, "POST", "/api/silences", "{\"until\":\"never\"}").statusCode())
          .isEqualTo(400);
      // a silence that would end before it began is refused, whichever way its end is written
      for (String past : List.of("\"2020-01-01T00:00:00Z\"", "1000", "\"0s\"")) {
        HttpResponse<String> refused =
            send(
                g,
                "POST",
                "/api/silences",
                "{\"matchers\":{\"alertname\":\"x\"},\"until\":" + past + ",\"by\":\"bo\"}");
        assertThat(refused.statusCode()).as(past).isEqualTo(400);
        assertThat(refused.body()).as(past).contains("already past");
      }
      assertThat(
              new JsonObject(send(g, "GET", "/api/silences", null).body()).getJsonArray("silences"))
          .hasSize(1);
      // a duration is from now
      long before = System.currentTimeMillis();
      JsonObject hour =
          new JsonObject(
              send(
                      g,
                      "POST",
                      "/api/silences",
                      "{\"matchers\":{\"alertname\":\"x\"},\"until\":\"1h\",\"by\":\"bo\"}")
                  .body());
      assertThat(hour.getLong("until"))
          .isBetween(before + 3_600_000, System.currentTimeMillis() + 3_600_000);
      assertThat(send(g, "DELETE", "/api/silences/" + id, null).statusCode()).isEqualTo(204);
    }
  }
}
