package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Grafana dashboards in {@code dashboards/} ask only for what a gateway exposes: every metric
 * of Tally, the JVM or the process that a query names is on a real gateway's page, and every label
 * a query groups such a metric by is on its samples.
 */
@ExtendWith(VertxExtension.class)
class DashboardsIT {
  private static final Path DASHBOARDS = Path.of("..", "dashboards");
  private static final Pattern SELECTOR = Pattern.compile("\\b((?:tally|jvm|process)_[a-z_]+)\\{");
  private static final Pattern GROUPED =
      Pattern.compile("by \\(([a-z_]+)\\) \\((?:[a-z_]+\\()?((?:tally|jvm|process)_[a-z_]+)\\{");

  @Test
  void everyMetricAndLabelTheDashboardsAskForIsExposed(Vertx vertx) throws Exception {
    List<String> exprs = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonObject dashboard = new JsonObject(Files.readString(f, StandardCharsets.UTF_8));
        assertThat(dashboard.getString("title")).as(f.toString()).isNotBlank();
        JsonArray panels = dashboard.getJsonArray("panels");
        assertThat(panels).as(f.toString()).isNotEmpty();
        for (Object p : panels) {
          for (Object t : ((JsonObject) p).getJsonArray("targets")) {
            exprs.add(((JsonObject) t).getString("expr"));
          }
        }
      }
    }
    assertThat(exprs).hasSizeGreaterThan(10);
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) { // with the JVM's meters
      String page =
          HttpProbe.of(vertx, g.httpPort())
              .scrapeUntil(x -> true)
              .await(20, TimeUnit.SECONDS)
              .text();
      for (String expr : exprs) {
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
          assertThat(page).as(expr).containsPattern("(?m)^" + m.group(1) + "[{ ]");
        }
        Matcher by = GROUPED.matcher(expr);
        while (by.find()) {
          assertThat(page)
              .as(expr + ": grouped by " + by.group(1))
              .containsPattern("(?m)^" + by.group(2) + "\\{[^}]*\\b" + by.group(1) + "=");
        }
      }
    }
  }
}
