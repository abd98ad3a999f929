package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.DebianTool;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway's history across a SIGKILL: a gauge set to a new value every 200 ms is
 * sampled every second; the gateway is killed and started again on the same data directory, and
 * every sample the query API showed before the kill is there after it, with its value. Then
 * Prometheus' own client, {@code promtool query instant} and {@code promtool query range}, reads it
 * through the API, and the API answers errors as Prometheus does.
 */
@ExtendWith(VertxExtension.class)
class HistoryIT {
  @TempDir Path dir;

  private GatewayProcess tally() throws Exception {
    return GatewayProcess.run(
        List.of("-Xmx256m"),
        "--history-resolution",
        "1s",
        "--tick",
        "200ms",
        "--data-dir",
        dir.resolve("data").toString());
  }

  @Test
  void historySurvivesAKillAndPromtoolReadsIt(Vertx vertx) throws Exception {
    AtomicInteger statsd = new AtomicInteger();
    AtomicInteger level = new AtomicInteger();
    DatagramSocket udp = vertx.createDatagramSocket();
    long sender =
        vertx.setPeriodic(
            200,
            id ->
                udp.send(
                    "history.level:" + level.incrementAndGet() + "|g", statsd.get(), "127.0.0.1"));
    GatewayProcess first = tally();
    Map<Long, Double> before;
    long settled;
    long start;
    String range;
    try {
      statsd.set(first.statsdPort());
      HttpProbe probe = HttpProbe.of(vertx, first.httpPort());
      start = System.currentTimeMillis() / 1000 - 1;
      range = "/api/v1/query_range?query=history_level&step=1&start=" + start + "&end=";
      probe
          .getUntil(
              "/api/v1/query?query=" + enc("count_over_time(history_level[30s])"),
              r -> value(r.json()) >= 6,
              30_000)
          .await(40, TimeUnit.SECONDS);
      // the steps up to two seconds ago: their samples are written
      settled = System.currentTimeMillis() / 1000 - 2;
      before = points(probe.get(range + settled).await(20, TimeUnit.SECONDS).json());
      assertThat(before).hasSizeGreaterThanOrEqualTo(3);
      probe.close();
    } finally {
      first.kill(); // SIGKILL (and never left running when the test fails before)
    }

    GatewayProcess second = tally();
    try {
      statsd.set(second.statsdPort());
      HttpProbe again = HttpProbe.of(vertx, second.httpPort());
      Map<Long, Double> after =
          points(again.get(range + settled).await(20, TimeUnit.SECONDS).json());
      // every step the API answered before the kill (a step takes the latest sample within the
      // lookback): the same value after it
      for (Map.Entry<Long, Double> e : before.entrySet()) {
        assertThat(after).containsEntry(e.getKey(), e.getValue());
      }
      // it goes on writing after the restart: a level newer than any before the kill (the first
      // sample time after the restart may be a stale marker, if the gauge came back after it)
      double last = before.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      again
          .getUntil("/api/v1/query?query=history_level", r -> value(r.json()) > last, 30_000)
          .await(40, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + second.httpPort();
      String instant = promtool("query", "instant", url, "history_level");
      assertThat(instant).startsWith("history_level => ");
      String ranged =
          promtool(
              "query",
              "range",
              "--start=" + start,
              "--end=" + (System.currentTimeMillis() / 1000),
              "--step=1s",
              url,
              "max_over_time(history_level[5s])");
      assertThat(ranged).contains("{} =>").contains(" @[");
      // Prometheus' error shapes and codes
      TestResponse bad = get(again, "/api/v1/query?query=" + enc("rate(x)"));
      assertThat(bad.status).isEqualTo(400);
      assertThat(bad.json.getString("errorType")).isEqualTo("bad_data");
      assertThat(bad.json.getString("error")).startsWith("invalid parameter \"query\": 1:1:");
      TestResponse many = get(again, "/api/v1/query_range?query=1&start=0&end=100000&step=1");
      assertThat(many.status).isEqualTo(400);
      assertThat(many.json.getString("error")).contains("11,000 points");
      TestResponse scalar = get(again, "/api/v1/query?query=" + enc("1+1") + "&time=4");
      assertThat(scalar.json.getJsonObject("data").getJsonArray("result"))
          .isEqualTo(new JsonArray().add(4).add("2"));
      TestResponse info = get(again, "/api/v1/status/buildinfo");
      assertThat(info.json.getJsonObject("data").getString("version")).isNotBlank();
      again.close();
    } finally {
      vertx.cancelTimer(sender);
      second.kill();
    }
  }

  private record TestResponse(int status, JsonObject json) {}

  private static TestResponse get(HttpProbe probe, String path) throws Exception {
    var r = probe.get(path).await(20, TimeUnit.SECONDS);
    return new TestResponse(r.status, r.json());
  }

  private static double value(JsonObject answer) {
    JsonArray result = answer.getJsonObject("data").getJsonArray("result");
    return result.isEmpty()
        ? 0
        : Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  private static Map<Long, Double> points(JsonObject answer) {
    Map<Long, Double> out = new TreeMap<>();
    JsonArray result = answer.getJsonObject("data").getJsonArray("result");
    if (!result.isEmpty()) {
      for (Object o : result.getJsonObject(0).getJsonArray("values")) {
        JsonArray p = (JsonArray) o;
        out.put(Math.round(p.getDouble(0) * 1000), Double.parseDouble(p.getString(1)));
      }
    }
    return out;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String promtool(String... args) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    DebianTool.require(promtool, "prometheus");
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + " said:\n" + out).isZero();
    return out;
  }
}
