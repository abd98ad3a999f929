package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-metric series limits with overflow series and {@code /api/debug/cardinality}, and reloading
 * the configuration file while running: applied when valid, refused with the old one kept when not.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class CardinalityReloadIT {
  static final String HOT_OVERFLOW = "hot_total{otel_metric_overflow=\"true\"}";

  @TempDir Path dir;

  /** Replaces the file at once, as editors and config-map updates do. */
  private void write(Path file, String text) throws Exception {
    Path tmp = Files.createTempFile(dir, "next", ".yaml");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Exposition reloads(TestGateway g, String result, int n) throws Exception {
    return g.scrapeUntil(e -> e.value("tally_config_reloads_total{result=\"" + result + "\"}") == n)
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void aMetricOverItsLimitOverflowsAndAReloadRaisesTheLimit(Vertx vertx) throws Exception {
    Path config = dir.resolve("tally.yaml");
    write(config, "max-series-per-metric: 3\nauth-tokens: first\n");
    try (TestGateway g = TestGateway.start(vertx, "--config", config.toString())) {
      g.watchConfig();
      for (int id = 1; id <= 5; id++) {
        g.send("hot:1|c|#id:" + id); // the shards take them in any order: any 3 get a series
      }
      g.send("calm:1|c|#id:1\ncalm:1|c|#id:2");
      Exposition e =
          g.scrapeUntil(
                  x ->
                      x.value(HOT_OVERFLOW) == 2
                          && x.sum("hot_total") == 5
                          && x.value("calm_total{id=\"2\"}") == 1
                          && x.value("calm_total{id=\"1\"}") == 1)
              .await(20, TimeUnit.SECONDS);
      assertThat(e.samples().keySet().stream().filter(k -> k.startsWith("hot_total{id=")))
          .hasSize(3);
      assertThat(e.value("tally_series_overflow_samples_total")).isEqualTo(2);
      assertThat(e.value("tally_series_limit_per_metric")).isEqualTo(3);

      // the debug view: the top metrics by series, without a token refused
      assertThat(g.get("/api/debug/cardinality").await(20, TimeUnit.SECONDS).status).isEqualTo(401);
      JsonObject c =
          g.get("/api/debug/cardinality?limit=1", "authorization", "Bearer first")
              .await(20, TimeUnit.SECONDS)
              .json();
      assertThat(c.getInteger("max_series_per_metric")).isEqualTo(3);
      assertThat(c.getInteger("metric_names")).isEqualTo(2);
      assertThat(c.getLong("overflow_samples")).isEqualTo(2);
      JsonArray metrics = c.getJsonArray("metrics");
      assertThat(metrics).hasSize(1);
      assertThat(metrics.getJsonObject(0).getMap())
          .containsEntry("name", "hot")
          .containsEntry("series", 3)
          .containsEntry("at_limit", true);

      // a valid change is applied: a higher limit, a new token
      write(config, "max-series-per-metric: 10\nauth-tokens: second\n");
      reloads(g, "applied", 1);
      g.send("hot:1|c|#id:6");
      g.scrapeUntil(x -> x.value("hot_total{id=\"6\"}") == 1).await(20, TimeUnit.SECONDS);
      assertThat(status(g, "first")).isEqualTo(401);
      assertThat(status(g, "second")).isEqualTo(200);

      // a bad file is refused whole, naming every problem; the old configuration stays
      write(config, "max-series-per-metric: 0\nauth-tokens: third\nno-such-key: 1\n");
      Exposition refused = reloads(g, "refused", 1);
      assertThat(refused.value("tally_config_last_reload_successful")).isEqualTo(0);
      assertThat(refused.value("tally_series_limit_per_metric")).isEqualTo(10);
      assertThat(status(g, "third")).isEqualTo(401);
      assertThat(status(g, "second")).isEqualTo(200);

      // a change that needs a restart is refused too
      write(config, "max-series-per-metric: 10\nauth-tokens: second\nwindow: 30s\n");
      reloads(g, "refused", 2);

      // and a good file after them is applied again
      write(config, "max-series-per-metric: 20\nauth-tokens: second\n");
      Exposition applied = reloads(g, "applied", 2);
      assertThat(applied.value("tally_config_last_reload_successful")).isEqualTo(1);
      assertThat(applied.value("tally_series_limit_per_metric")).isEqualTo(20);
    }
  }

  @Test
  void statsdFromOutsideTheAllowListIsDroppedAndCountedUntilAReloadAllowsIt(Vertx vertx)
      throws Exception {
    Path config = dir.resolve("allow.yaml");
    write(config, "statsd-allow: 10.0.0.0/8\n");
    try (TestGateway g = TestGateway.start(vertx, "--config", config.toString())) {
      g.watchConfig();
      g.send("denied:1|c");
      g.scrapeUntil(
              e ->
                  e.value("tally_statsd_packets_dropped_total{reason=\"source_not_allowed\"}") == 1)
          .await(20, TimeUnit.SECONDS);
      // a rule made through the API outlives the reload (only a changed rules file replaces rules)
      assertThat(
              g.request(
                      HttpMethod.POST,
                      "/api/rules",
                      "{\"name\":\"kept\",\"match\":\"allowed\",\"value\":\"rate\",\"op\":\">\",\"threshold\":1,\"severity\":\"info\"}")
                  .await(20, TimeUnit.SECONDS)
                  .status)
          .isEqualTo(201);
      write(config, "statsd-allow: [10.0.0.0/8, 127.0.0.1]\n");
      reloads(g, "applied", 1);
      assertThat(g.get("/api/rules/kept").await(20, TimeUnit.SECONDS).status).isEqualTo(200);
      g.send("allowed:1|c");
      Exposition e = g.scrapeUntil(x -> x.value("allowed_total") == 1).await(20, TimeUnit.SECONDS);
      assertThat(e.value("denied_total")).isNaN();
      assertThat(e.value("tally_statsd_packets_dropped_total{reason=\"source_not_allowed\"}"))
          .isEqualTo(1);
    }
  }

  /** The status of {@code GET /api/series} with the bearer token. */
  private static int status(TestGateway g, String token) throws Exception {
    return g.get("/api/series", "authorization", "Bearer " + token)
        .await(20, TimeUnit.SECONDS)
        .status;
  }
}
