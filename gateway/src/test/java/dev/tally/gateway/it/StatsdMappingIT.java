package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * statsd_exporter's mapping files, end to end: each case of {@code statsd-mapping/corpus.yaml} (the
 * examples of statsd_exporter's documentation and tests) starts a gateway with the case's file,
 * sends its lines over UDP and finds on {@code /metrics} exactly the series the case expects.
 */
@ExtendWith(VertxExtension.class)
class StatsdMappingIT {
  /** Families that are not the user's: the meters of Tally, the JVM and Vert.x. */
  private static final List<String> OWN =
      List.of("tally_", "jvm_", "vertx_", "process_", "system_");

  @Test
  void statsdExportersExamplesGiveTheSeriesItGives(Vertx vertx, @TempDir Path dir)
      throws Exception {
    List<Map<String, Object>> cases;
    try (InputStream in = getClass().getResourceAsStream("/statsd-mapping/corpus.yaml")) {
      cases = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    assertThat(cases).hasSizeGreaterThan(20);
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (Map<String, Object> c : cases) {
      String name = (String) c.get("case");
      Path file = dir.resolve("mapping-" + n++ + ".yml");
      Files.writeString(file, (String) c.get("config"));
      try {
        String problem = run(vertx, file, c);
        if (problem != null) {
          failures.add(name + ": " + problem);
        }
      } catch (Exception | AssertionError e) {
        failures.add(name + ": " + e);
      }
    }
    assertThat(failures).as("cases that differ").isEmpty();
  }

  /**
   * A rule's ttl expires its series while a series of another rule stays (the gateway's series-ttl,
   * 10 minutes).
   */
  @Test
  void aRulesTtlExpiresItsSeriesWhileOthersStay(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("ttl.yml");
    Files.writeString(
        file,
        "mappings:\n- match: short.*\n  name: short\n  ttl: 1s\n  labels:\n    k: $1\n"
            + "- match: long.*\n  name: long\n  labels:\n    k: $1\n");
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-mapping-config", file.toString())) {
      tally.send("short.a:1|c\nlong.a:1|c");
      tally
          .scrapeUntil(p -> p.has("short{k=\"a\"}") && p.has("long{k=\"a\"}"))
          .await(20, TimeUnit.SECONDS);
      Exposition after =
          tally.scrapeUntil(p -> !p.has("short{k=\"a\"}")).await(20, TimeUnit.SECONDS);
      assertThat(after.value("long{k=\"a\"}")).isEqualTo(1);
    }
  }

  /**
   * Timers mapped to histograms and to summaries with their own quantiles pass {@code promtool
   * check metrics}, names as written; the debug endpoint says which rule a name hits; a changed
   * file is reloaded and maps anew.
   */
  @Test
  void mappedTimersPassPromtoolAndTheDebugEndpointExplainsAMatch(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("m.yml");
    Files.writeString(
        file,
        "mappings:\n"
            + "- match: api.*.*.latency\n  name: api_request_duration_seconds\n"
            + "  observer_type: histogram\n  help: Time to answer an API request.\n"
            + "  histogram_options:\n    buckets: [0.01, 0.05, 0.1, 0.5]\n"
            + "  labels:\n    route: $1\n    code: $2\n"
            + "- match: db.*.query\n  name: db_query_seconds\n"
            + "  summary_options:\n    quantiles:\n      - quantile: 0.5\n      - quantile: 0.99\n"
            + "  labels:\n    table: $1\n"
            + "- match: noise.*\n  name: noise\n  action: drop\n");
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-mapping-config", file.toString())) {
      tally.watchConfig();
      StringBuilder packet = new StringBuilder();
      for (int i = 1; i <= 20; i++) {
        packet.append("api.checkout.200.latency:").append(i * 10).append("|ms\n");
        packet.append("db.orders.query:").append(i).append("|ms|#region:eu\n");
        packet.append("noise.x:").append(i).append("|c\n");
      }
      tally.send(packet.toString().strip());
      Exposition page =
          tally
              .scrapeUntil(
                  p ->
                      p.value("api_request_duration_seconds_count{code=\"200\",route=\"checkout\"}")
                              == 20
                          && p.value("db_query_seconds_count{region=\"eu\",table=\"orders\"}") == 20
                          && p.value("tally_dropped_samples_total{reason=\"mapping_drop\"}") == 20)
              .await(20, TimeUnit.SECONDS);
      assertThat(page.typeOf("api_request_duration_seconds")).isEqualTo("histogram");
      assertThat(
              page.value(
                  "api_request_duration_seconds_bucket{code=\"200\",le=\"0.1\",route=\"checkout\"}"))
          .isEqualTo(10);
      assertThat(page.text())
          .contains("# HELP api_request_duration_seconds Time to answer an API request.");
      assertThat(page.startingWith("db_query_seconds{"))
          .containsOnlyKeys(
              "db_query_seconds{quantile=\"0.5\",region=\"eu\",table=\"orders\"}",
              "db_query_seconds{quantile=\"0.99\",region=\"eu\",table=\"orders\"}");
      assertThat(page.startingWith("noise")).isEmpty();
      Promtool.assertClean(page.text());

      JsonObject hit =
          tally
              .get("/api/debug/mapping?name=api.cart.500.latency&type=ms")
              .await(20, TimeUnit.SECONDS)
              .json();
      assertThat(hit.getJsonObject("rule").getInteger("index")).isZero();
      assertThat(hit.getString("metric")).isEqualTo("api_request_duration_seconds");
      assertThat(hit.getJsonObject("labels").getMap())
          .containsExactlyInAnyOrderEntriesOf(Map.of("route", "cart", "code", "500"));
      assertThat(hit.getString("observer_type")).isEqualTo("histogram");
      JsonObject miss =
          tally.get("/api/debug/mapping?name=other.name&type=g").await(20, TimeUnit.SECONDS).json();
      assertThat(miss.getValue("rule")).isNull();
      assertThat(miss.getString("metric")).isEqualTo("other_name");
      assertThat(
              tally
                  .get("/api/debug/mapping?name=noise.a")
                  .await(20, TimeUnit.SECONDS)
                  .json()
                  .getString("action"))
          .isEqualTo("drop");
      assertThat(tally.get("/api/debug/mapping?type=ms").await(20, TimeUnit.SECONDS).status)
          .isEqualTo(400);
      assertThat(tally.get("/api/debug/mapping?name=a&type=x").await(20, TimeUnit.SECONDS).status)
          .isEqualTo(400);

      // a changed file: the names the old one made stay until they idle out, new lines map anew
      Files.writeString(file, "mappings:\n- match: noise.*\n  name: noise_kept\n");
      tally
          .getUntil(
              "/api/debug/mapping?name=noise.a",
              r -> r.json().getString("metric").equals("noise_kept"))
          .await(20, TimeUnit.SECONDS);
      tally.send("noise.x:1|c");
      tally.scrapeUntil(p -> p.value("noise_kept") == 1).await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * In OpenMetrics, which Prometheus asks for first, names as written stay valid: a timer not named
   * in seconds has no {@code # UNIT}, a counter not named {@code _total} has its sample so named. A
   * reload that makes a series otherwise (a summary now a histogram) makes it again.
   */
  @Test
  void namesAsWrittenStayValidOpenMetricsAndAReloadRemakesChangedSeries(
      Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("om.yml");
    Files.writeString(
        file,
        "mappings:\n- match: t.*\n  name: my_timer\n  labels: {k: $1}\n"
            + "- match: c.*\n  name: plain_requests\n  labels: {k: $1}\n");
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-mapping-config", file.toString())) {
      tally.watchConfig();
      tally.send("t.a:10|ms\nc.a:3|c");
      tally
          .scrapeUntil(
              p ->
                  p.value("my_timer_count{k=\"a\"}") == 1
                      && p.value("plain_requests{k=\"a\"}") == 3)
          .await(20, TimeUnit.SECONDS);
      String om =
          tally
              .get("/metrics", "accept", "application/openmetrics-text; version=1.0.0")
              .await(20, TimeUnit.SECONDS)
              .body;
      assertThat(om)
          .contains("# TYPE my_timer summary")
          .doesNotContain("# UNIT my_timer")
          .contains("# TYPE plain_requests counter")
          .contains("plain_requests_total{k=\"a\"} 3")
          .doesNotContain("\nplain_requests{");

      Files.writeString(
          file,
          "mappings:\n- match: t.*\n  name: my_timer\n  observer_type: histogram\n"
              + "  labels: {k: $1}\n- match: c.*\n  name: plain_requests\n  labels: {k: $1}\n");
      tally
          .getUntil(
              "/api/debug/mapping?name=t.a&type=ms",
              r -> "histogram".equals(r.json().getString("observer_type")))
          .await(20, TimeUnit.SECONDS);
      tally.send("t.a:20|ms\nc.a:1|c");
      Exposition after =
          tally
              .scrapeUntil(
                  p ->
                      "histogram".equals(p.typeOf("my_timer"))
                          && p.value("my_timer_count{k=\"a\"}") == 1
                          && p.value("plain_requests{k=\"a\"}") == 4)
              .await(20, TimeUnit.SECONDS);
      // the summary made under the old file is gone (one family, one type), the counter kept
      assertThat(after.value("my_timer_sum{k=\"a\"}")).isEqualTo(0.02);
    }
  }

  /** Runs one case; null if every expected series, and no other, is on the page. */
  @SuppressWarnings("unchecked")
  private static String run(Vertx vertx, Path file, Map<String, Object> c) throws Exception {
    Expected expected = Expected.parse((String) c.get("expect"));
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-mapping-config", file.toString())) {
      Exposition before = tally.scrape().await(20, TimeUnit.SECONDS);
      for (String line : (List<String>) c.get("lines")) {
        tally.send(line);
      }
      Exposition page;
      try {
        page =
            tally.scrapeUntil(p -> expected.problem(p, before) == null).await(20, TimeUnit.SECONDS);
      } catch (Exception | AssertionError e) {
        return expected.problem(tally.scrape().await(20, TimeUnit.SECONDS), before);
      }
      return expected.problem(page, before);
    }
  }

  /** A case's expectations: samples and values, quantiles within 1 %, types. */
  private record Expected(
      Map<String, Double> exact, Map<String, Double> near, Map<String, String> types) {

    static Expected parse(String text) {
      Map<String, Double> exact = new LinkedHashMap<>();
      Map<String, Double> near = new LinkedHashMap<>();
      Map<String, String> types = new LinkedHashMap<>();
      for (String line : text.split("\n")) {
        line = line.strip();
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ");
          types.put(parts[2], parts[3]);
          continue;
        }
        int space = line.lastIndexOf(' ');
        String sample =
            new Exposition(line.substring(0, space) + " 0").samples().keySet().iterator().next();
        String value = line.substring(space + 1);
        if (value.startsWith("~")) {
          near.put(sample, Double.parseDouble(value.substring(1)));
        } else {
          exact.put(sample, Double.parseDouble(value));
        }
      }
      return new Expected(exact, near, types);
    }

    /** What differs on {@code page}; null if nothing. */
    String problem(Exposition page, Exposition before) {
      Map<String, Double> user = new TreeMap<>();
      page.samples()
          .forEach(
              (sample, value) -> {
                String family =
                    sample.contains("{") ? sample.substring(0, sample.indexOf('{')) : sample;
                boolean own = OWN.stream().anyMatch(family::startsWith);
                if (!own && !before.samples().containsKey(sample)) {
                  user.put(sample, value);
                }
              });
      for (Map.Entry<String, Double> e : exact.entrySet()) {
        Double got = page.samples().get(e.getKey());
        if (got == null || Math.abs(got - e.getValue()) > 1e-9 * Math.abs(e.getValue())) {
          return "expected "
              + e.getKey()
              + " "
              + e.getValue()
              + ", page has "
              + got
              + "; user series: "
              + user;
        }
      }
      for (Map.Entry<String, Double> e : near.entrySet()) {
        Double got = page.samples().get(e.getKey());
        if (got == null || Math.abs(got - e.getValue()) > 0.01 * e.getValue()) {
          return "expected " + e.getKey() + " ~" + e.getValue() + ", page has " + got;
        }
      }
      for (Map.Entry<String, String> e : types.entrySet()) {
        if (!e.getValue().equals(page.typeOf(e.getKey()))) {
          return "expected # TYPE "
              + e.getKey()
              + " "
              + e.getValue()
              + ", was "
              + page.typeOf(e.getKey());
        }
      }
      for (String sample : user.keySet()) {
        if (!exact.containsKey(sample) && !near.containsKey(sample)) {
          return "unexpected " + sample + " " + user.get(sample) + "; user series: " + user;
        }
      }
      return null;
    }
  }
}
