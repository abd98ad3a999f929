package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.DebianTool;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Prometheus rule file evaluated by Tally on its history and by a real Prometheus (Debian's 2.42)
 * on the same data, which it scrapes from Tally every second, both evaluating every second: a
 * {@code rate(...) > x} rule with {@code for} fires while traffic runs and resolves once it stops,
 * in both, within a few seconds of each other; an {@code absent()} rule fires in both for a series
 * that never arrived; the recording rule's series is in Tally's history. The windows are those of
 * an alert on {@code rate(x[5m]) > x} with {@code for: 1m}, scaled down to 10 s and 5 s so that the
 * test takes a minute. {@code promtool check rules} takes the file, and Tally's shipped example.
 */
@ExtendWith(VertxExtension.class)
class PromRulesIT {
  private static final String RULES =
      """
      groups:
        - name: traffic
          interval: 1s
          rules:
            - record: route:requests:rate10s
              expr: sum by (route) (rate(requests_total[10s]))
            - alert: HighRequestRate
              expr: rate(requests_total[10s]) > 5
              for: 5s
              labels:
                severity: critical
              annotations:
                summary: "{{ $labels.route }} takes {{ $value }} requests per second"
            - alert: UpLikeAbsent
              expr: absent(up_like_series{job="payments"})
      """;

  /** Within how long of each other Tally and Prometheus must fire and resolve. */
  private static final long AGREE_MILLIS = 10_000;

  /** How long a poll waits for a state. */
  private static final long WAIT = 120_000;

  @TempDir Path dir;

  @Test
  void aRateRuleFiresAndResolvesAsPrometheusDoes(Vertx vertx) throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(rules, RULES);
    promtoolCheckRules(rules);
    promtoolCheckRules(Path.of("src", "dist", "conf", "prometheus-rules.yml"));
    TestGateway tally =
        TestGateway.start(vertx, "--history-resolution", "1s", "--rule-files", rules.toString());
    Path promDir = Files.createDirectories(dir.resolve("prometheus"));
    HttpProbe tallyApi = HttpProbe.of(vertx, tally.gateway().httpPort());
    try (PrometheusServer prometheus =
        PrometheusServer.scrapingWithRules(vertx, promDir, tally.gateway().httpPort(), rules)) {
      HttpProbe promApi = HttpProbe.of(vertx, prometheus.port());
      // 20 requests a second on /a
      long start = System.currentTimeMillis();
      long traffic = vertx.setPeriodic(50, id -> tally.send("requests:1|c|#route:/a"));
      long[] fired =
          both(
              tallyApi.getUntil("/api/alerts", r -> tally(r, "HighRequestRate", "firing"), WAIT),
              promApi.getUntil("/api/v1/alerts", r -> prom(r, "HighRequestRate", "firing"), WAIT));
      assertThat(Math.abs(fired[0] - fired[1])).isLessThanOrEqualTo(AGREE_MILLIS);
      both(
          tallyApi.getUntil("/api/alerts", r -> tally(r, "UpLikeAbsent", "firing"), WAIT),
          promApi.getUntil("/api/v1/alerts", r -> prom(r, "UpLikeAbsent", "firing"), WAIT));
      JsonObject alert =
          alert(tallyApi.get("/api/alerts").await(20, TimeUnit.SECONDS).json(), "HighRequestRate");
      assertThat(alert.getJsonObject("labels").getString("route")).isEqualTo("/a");
      assertThat(alert.getString("severity")).isEqualTo("critical");
      assertThat(alert.getJsonObject("annotations").getString("summary")).startsWith("/a takes ");
      JsonArray recorded =
          tallyApi
              .get("/api/v1/query?query=" + enc("route:requests:rate10s"))
              .await(20, TimeUnit.SECONDS)
              .json()
              .getJsonObject("data")
              .getJsonArray("result");
      assertThat(recorded.size()).isEqualTo(1);
      assertThat(Double.parseDouble(recorded.getJsonObject(0).getJsonArray("value").getString(1)))
          .isGreaterThan(5);
      vertx.cancelTimer(traffic);
      long stop = System.currentTimeMillis();
      long[] resolved =
          both(
              tallyApi.getUntil("/api/alerts", r -> tally(r, "HighRequestRate", "resolved"), WAIT),
              promApi.getUntil(
                  "/api/v1/alerts", r -> prom(r, "HighRequestRate", "inactive"), WAIT));
      assertThat(Math.abs(resolved[0] - resolved[1])).isLessThanOrEqualTo(AGREE_MILLIS);
      System.out.printf(
          "HighRequestRate firing %d ms (Tally) and %d ms (Prometheus) after traffic began,"
              + " resolved %d ms and %d ms after it stopped%n",
          fired[0] - start, fired[1] - start, resolved[0] - stop, resolved[1] - stop);
    } finally {
      tallyApi.close();
      tally.close();
    }
  }

  /** Waits for both polls; when each first held (epoch ms). */
  private static long[] both(
      Future<TestGateway.Response> tally, Future<TestGateway.Response> prometheus)
      throws Exception {
    Future<Long> a = tally.map(r -> System.currentTimeMillis());
    Future<Long> b = prometheus.map(r -> System.currentTimeMillis());
    return new long[] {
      a.await(WAIT + 10_000, TimeUnit.MILLISECONDS), b.await(WAIT + 10_000, TimeUnit.MILLISECONDS)
    };
  }

  private static JsonObject alert(JsonObject alerts, String name) {
    for (Object o : alerts.getJsonArray("alerts")) {
      JsonObject a = (JsonObject) o;
      if (name.equals(a.getJsonObject("labels").getString("alertname"))) {
        return a;
      }
    }
    return null;
  }

  private static boolean tally(TestGateway.Response r, String name, String state) {
    JsonObject a = r.status == 200 ? alert(r.json(), name) : null;
    return a != null && a.getString("state").equals(state);
  }

  /** Prometheus lists pending and firing alerts; one it does not list is inactive. */
  private static boolean prom(TestGateway.Response r, String name, String state) {
    if (r.status != 200) {
      return false;
    }
    JsonObject a = alert(r.json().getJsonObject("data"), name);
    return a == null ? state.equals("inactive") : a.getString("state").equals(state);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void promtoolCheckRules(Path file) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    DebianTool.require(promtool, "prometheus");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "rules", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check rules said:\n" + out).isZero();
  }
}
