package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestGateway;
import dev.tally.testing.TestGateway.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's rules file is never written: rules made through the API are kept in a file of their
 * own and come back after a restart, and a rules file edited by hand is applied even while a key
 * that needs a restart waits.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class RulesFileIT {
  static final String HAND_WRITTEN =
      "# our alerts: edit by hand\n"
          + "- name: hand\n"
          + "  match: queue.depth\n"
          + "  value: value\n"
          + "  op: '>'\n"
          + "  threshold: 10\n"
          + "  for: 30s # half a minute\n";

  @TempDir Path dir;

  @Test
  void apiRulesHaveTheirOwnFileAndHandEditsApplyWhileARestartWaits(Vertx vertx) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Path config = dir.resolve("tally.yaml");
    write(rules, HAND_WRITTEN);
    write(config, "rules: " + rules + "\n");
    String api =
        "{\"name\":\"from-api\",\"match\":\"x\",\"value\":\"value\",\"op\":\"<\",\"threshold\":0}";
    try (TestGateway g = TestGateway.start(vertx, "--config", config.toString())) {
      g.watchConfig();
      assertThat(send(g, "POST", "/api/rules", api).status).isEqualTo(201);
      assertThat(Files.readString(rules)).as("the user's file, untouched").isEqualTo(HAND_WRITTEN);
      assertThat(Files.readString(dir.resolve("api-rules.json"))).contains("\"from-api\"");
      // the rules file's rules change only there
      Response put = send(g, "PUT", "/api/rules/hand", api.replace("from-api", "hand"));
      assertThat(put.status).isEqualTo(409);
      assertThat(put.body).contains("rules file");
      assertThat(send(g, "DELETE", "/api/rules/hand", null).status).isEqualTo(409);

      // a key that needs a restart waits; a rule added by hand meanwhile applies all the same
      write(config, "rules: " + rules + "\nwindow: 30s\n");
      g.scrapeUntil(e -> e.value("tally_config_reloads_total{result=\"refused\"}") == 1)
          .await(20, TimeUnit.SECONDS);
      write(rules, HAND_WRITTEN + HAND_WRITTEN.replace("name: hand", "name: hand-too"));
      long deadline = System.currentTimeMillis() + 20_000;
      while (!ruleNames(g).contains("hand-too")) {
        assertThat(System.currentTimeMillis()).as("hand-too loaded").isLessThan(deadline);
        g.scrape().await(20, TimeUnit.SECONDS); // paces the look: one round trip each
      }
      assertThat(ruleNames(g)).containsExactlyInAnyOrder("hand", "hand-too", "from-api");
    }
    // after a restart, the rules of both files
    try (TestGateway g = TestGateway.start(vertx, "--config", config.toString())) {
      assertThat(ruleNames(g)).containsExactlyInAnyOrder("hand", "hand-too", "from-api");
      assertThat(Files.readString(rules)).startsWith(HAND_WRITTEN);
    }
  }

  private List<String> ruleNames(TestGateway g) throws Exception {
    return send(g, "GET", "/api/rules", null).json().getJsonArray("rules").stream()
        .map(r -> ((JsonObject) r).getString("name"))
        .toList();
  }

  /** Replaces the file at once, as editors and config-map updates do. */
  private void write(Path file, String text) throws Exception {
    Path tmp = Files.createTempFile(dir, "next", ".yaml");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Response send(TestGateway g, String method, String path, String body)
      throws Exception {
    return g.request(HttpMethod.valueOf(method), path, body).await(20, TimeUnit.SECONDS);
  }
}
