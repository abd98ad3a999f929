package dev.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real Prometheus (Debian's {@code prometheus}, installed by {@code .ci/run}) on 127.0.0.1 with
 * its remote-write receiver on and nothing to scrape, its storage in a directory of the test's;
 * stopped and started again on the same port and storage for outage tests. Queried over its HTTP
 * API.
 */
public final class PrometheusServer implements AutoCloseable {
  public static final Path EXECUTABLE = Path.of("/usr/bin/prometheus");

  private final Vertx vertx;
  private final Path dir;
  private final int port;
  private final HttpProbe probe;
  private final List<String> features;
  private Process process;

  private PrometheusServer(Vertx vertx, Path dir, int port, List<String> features) {
    this.vertx = vertx;
    this.dir = dir;
    this.port = port;
    this.probe = HttpProbe.of(vertx, port);
    this.features = features;
  }

  /** Starts one (skipped where it is missing, failing under CI) and waits until it is ready. */
  public static PrometheusServer start(Vertx vertx, Path dir) throws Exception {
    DebianTool.require(EXECUTABLE, "prometheus");
    Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    PrometheusServer p = new PrometheusServer(vertx, dir, TestGateway.freePort(), List.of());
    p.start();
    return p;
  }

  /**
   * Starts one that scrapes {@code /metrics} on 127.0.0.1:{@code httpPort} every second as job
   * {@code tally}, with {@code features} ({@code --enable-feature}, such as {@code
   * native-histograms}: then it asks for the protobuf format).
   */
  public static PrometheusServer scraping(Vertx vertx, Path dir, int httpPort, String... features)
      throws Exception {
    DebianTool.require(EXECUTABLE, "prometheus");
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: tally\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + httpPort
            + "']\n");
    PrometheusServer p =
        new PrometheusServer(vertx, dir, TestGateway.freePort(), List.of(features));
    p.start();
    return p;
  }

  /**
   * Starts one that scrapes Tally every second, as {@link #scraping}, and evaluates {@code rules}
   * (a rule file) every second.
   */
  public static PrometheusServer scrapingWithRules(Vertx vertx, Path dir, int httpPort, Path rules)
      throws Exception {
    DebianTool.require(EXECUTABLE, "prometheus");
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "rule_files: ['"
            + rules
            + "']\n"
            + "scrape_configs:\n  - job_name: tally\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:"
            + httpPort
            + "']\n");
    PrometheusServer p = new PrometheusServer(vertx, dir, TestGateway.freePort(), List.of());
    p.start();
    return p;
  }

  /** Starts it again (after {@link #stop}) on its port and storage. */
  public void start() throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                EXECUTABLE.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-remote-write-receiver"));
    if (!features.isEmpty()) {
      command.add("--enable-feature=" + String.join(",", features));
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    probe.getUntil("/-/ready", r -> r.status == 200, 60_000).await(70, TimeUnit.SECONDS);
  }

  /** Stops it (SIGTERM) and waits until it has exited. */
  public void stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
  }

  /** The remote-write endpoint. */
  public String writeUrl() {
    return "http://127.0.0.1:" + port + "/api/v1/write";
  }

  public int port() {
    return port;
  }

  /**
   * The exemplars of the last 10 minutes of the series {@code selector} selects, polled until
   * {@code done} holds: every series' exemplars in one array.
   */
  public JsonArray exemplarsUntil(String selector, Predicate<JsonArray> done) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String path =
        "/api/v1/query_exemplars?query="
            + URLEncoder.encode(selector, StandardCharsets.UTF_8)
            + "&start="
            + (now - 600)
            + "&end="
            + (now + 600);
    Function<TestGateway.Response, JsonArray> read =
        r -> {
          JsonArray all = new JsonArray();
          JsonArray data = r.json().getJsonArray("data");
          for (int i = 0; i < data.size(); i++) {
            all.addAll(data.getJsonObject(i).getJsonArray("exemplars"));
          }
          return all;
        };
    TestGateway.Response r =
        probe
            .getUntil(path, x -> x.status == 200 && done.test(read.apply(x)), 60_000)
            .await(70, TimeUnit.SECONDS);
    return read.apply(r);
  }

  /** GET {@code path} of its HTTP API, as JSON. */
  public JsonObject get(String path) throws Exception {
    return probe.get(path).await(20, TimeUnit.SECONDS).json();
  }

  /** What it logged. */
  public String log() throws IOException {
    return Files.readString(dir.resolve("prometheus.log"));
  }

  /**
   * An instant query's vector as {@code name{labels}} (labels sorted, Prometheus text style) to
   * value; polled until {@code done} holds.
   */
  public Map<String, Double> queryUntil(String promql, Predicate<Map<String, Double>> done)
      throws Exception {
    return until(promql, PrometheusServer::vector, done, 60_000);
  }

  /**
   * The raw samples of a range query ({@code x[5m]}) per series, as timestamp (ms) to value, polled
   * until {@code done} holds.
   */
  public Map<String, Map<Long, Double>> rangeUntil(
      String promql, Predicate<Map<String, Map<Long, Double>>> done, long timeoutMillis)
      throws Exception {
    return until(promql, PrometheusServer::matrix, done, timeoutMillis);
  }

  private <T> T until(
      String promql, Function<JsonObject, T> read, Predicate<T> done, long timeoutMillis)
      throws Exception {
    TestGateway.Response r =
        probe
            .getUntil(
                "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8),
                x -> x.status == 200 && done.test(read.apply(x.json())),
                timeoutMillis)
            .await(timeoutMillis + 10_000, TimeUnit.MILLISECONDS);
    return read.apply(r.json());
  }

  private static Map<String, Double> vector(JsonObject answer) {
    Map<String, Double> out = new TreeMap<>();
    JsonArray result = answer.getJsonObject("data").getJsonArray("result");
    for (int i = 0; i < result.size(); i++) {
      JsonObject s = result.getJsonObject(i);
      out.put(
          name(s.getJsonObject("metric")),
          Double.parseDouble(s.getJsonArray("value").getString(1)));
    }
    return out;
  }

  private static Map<String, Map<Long, Double>> matrix(JsonObject answer) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    JsonArray result = answer.getJsonObject("data").getJsonArray("result");
    for (int i = 0; i < result.size(); i++) {
      JsonObject s = result.getJsonObject(i);
      Map<Long, Double> points = new LinkedHashMap<>();
      JsonArray values = s.getJsonArray("values");
      for (int j = 0; j < values.size(); j++) {
        JsonArray v = values.getJsonArray(j);
        points.put(Math.round(v.getDouble(0) * 1000), Double.parseDouble(v.getString(1)));
      }
      out.put(name(s.getJsonObject("metric")), points);
    }
    return out;
  }

  /** {@code name{a="x",b="y"}}, labels sorted by name, as the exposition writes them. */
  private static String name(JsonObject metric) {
    StringBuilder labels = new StringBuilder();
    for (String k : new java.util.TreeSet<>(metric.fieldNames())) {
      if (k.equals("__name__")) {
        continue;
      }
      if (labels.length() > 0) {
        labels.append(',');
      }
      labels.append(k).append("=\"").append(metric.getString(k)).append('"');
    }
    String n = metric.getString("__name__", "");
    return labels.length() == 0 ? n : n + "{" + labels + "}";
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      stop();
    }
    probe.close();
  }
}
