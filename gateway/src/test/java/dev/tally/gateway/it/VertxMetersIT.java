package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.Gateway;
import dev.tally.gateway.GatewayVertx;
import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.testing.OtlpClient;
import dev.tally.testing.OtlpRequests;
import dev.tally.testing.TestGateway;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on the Vert.x that {@code main} builds ({@link GatewayVertx}): {@code /metrics} also
 * carries Vert.x and JVM meters, and stays {@code promtool check metrics} clean.
 */
class VertxMetersIT {
  @Test
  void metricsCarryVertxAndJvmMetersAndStayPromtoolClean() throws Exception {
    try (Running running = start("--tick", "100ms")) {
      Gateway g = running.gateway;
      HttpClient http = running.vertx.createHttpClient();
      // names of Tally's own page, sent as user series: each would duplicate a family, or fake one
      List<String> reserved =
          List.of(
              "tally_series_active:5|g",
              "jvm_threads_live_threads:1|g",
              "target_info:1|g",
              "ALERTS:1|g",
              "vertx.http.server.requests:1|c");
      dev.tally.testing.Hostile.statsd(g.statsdPort(), reserved);
      dev.tally.testing.Hostile.statsd(g.statsdPort(), List.of("user.ok:1|g"));
      String page = get(http, g.httpPort(), "/metrics");
      String refused = "tally_dropped_samples_total{reason=\"reserved_name\"} 5";
      for (int i = 0; i < 500 && !(page.contains(refused) && page.contains("\nuser_ok 1")); i++) {
        page = get(http, g.httpPort(), "/metrics");
      }
      assertThat(page)
          .contains(refused)
          .contains("\nuser_ok 1")
          .doesNotContain("\ntarget_info ")
          .doesNotContain("\nALERTS ");
      assertThat(get(http, g.httpPort(), "/api/series")).contains("\"total\"");
      // the server records a request's meter when its response has ended, which may be just after
      // the client has it: poll, boundedly
      String metrics = get(http, g.httpPort(), "/metrics");
      String served = "\nvertx_http_server_requests_total{code=\"200\",method=\"GET\"}";
      for (int i = 0; i < 200 && !metrics.contains(served); i++) {
        metrics = get(http, g.httpPort(), "/metrics");
      }
      assertThat(metrics)
          .contains("\njvm_memory_used_bytes{")
          .contains("\nvertx_http_server_requests_total{code=\"200\",method=\"GET\"}")
          .contains("\nprocess_cpu_seconds_total ")
          .contains("\ntally_series_active ")
          .doesNotContain("process_cpu_time_ns_total");
      Promtool.assertClean(metrics);
    }
  }

  @Test
  void withATracingEndpointTheGatewayTracesItsOwnHttpAndGrpcHandling() throws Exception {
    Vertx receiverVertx = Vertx.vertx();
    List<Span> spans = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      HttpServer receiver =
          receiverVertx
              .createHttpServer()
              .requestHandler(
                  req ->
                      req.body()
                          .onSuccess(
                              body -> {
                                try {
                                  ExportTraceServiceRequest.parseFrom(body.getBytes())
                                      .getResourceSpansList()
                                      .forEach(
                                          r ->
                                              r.getScopeSpansList()
                                                  .forEach(ss -> spans.addAll(ss.getSpansList())));
                                  req.response()
                                      .putHeader("content-type", "application/x-protobuf")
                                      .end();
                                } catch (Exception e) {
                                  req.response().setStatusCode(400).end();
                                }
                              }))
              .listen(0, "127.0.0.1")
              .await(20, TimeUnit.SECONDS);
      try (Running running =
          start(
              "--tracing-endpoint",
              "http://127.0.0.1:" + receiver.actualPort(),
              "--tracing-sample-ratio",
              "1")) {
        Gateway g = running.gateway;
        HttpClient http = running.vertx.createHttpClient();
        get(http, g.httpPort(), "/health/ready");
        try (OtlpClient otlp = new OtlpClient(g)) {
          assertThat(
                  otlp.grpc(
                          OtlpRequests.request(OtlpRequests.gauge("traced", 1)).toByteArray(),
                          "identity")
                      .status)
              .isEqualTo(io.vertx.grpc.common.GrpcStatus.OK);
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (spans.stream().noneMatch(sp -> sp.getName().startsWith("POST"))
            || spans.stream().noneMatch(sp -> sp.getName().startsWith("GET"))) {
          assertThat(System.currentTimeMillis())
              .as("spans exported: " + spans)
              .isLessThan(deadline);
          get(
              http,
              g.httpPort(),
              "/health/live"); // a bounded poll: each is a round trip, and traced
        }
        assertThat(spans.stream().filter(sp -> sp.getName().startsWith("GET")))
            .allMatch(sp -> sp.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        // the export's hand-off to a shard is a child of its server span
        Span post =
            spans.stream().filter(sp -> sp.getName().startsWith("POST")).findFirst().orElseThrow();
        assertThat(post.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
        while (spans.stream().noneMatch(sp -> sp.getParentSpanId().equals(post.getSpanId()))) {
          assertThat(System.currentTimeMillis()).as("child spans: " + spans).isLessThan(deadline);
          get(http, g.httpPort(), "/health/live");
        }
        assertThat(spans)
            .filteredOn(sp -> sp.getParentSpanId().equals(post.getSpanId()))
            .allSatisfy(
                sp -> {
                  assertThat(sp.getName()).isEqualTo("send");
                  assertThat(sp.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
                  assertThat(sp.getAttributesList().toString()).contains("tally.aggregate.");
                });
      }
    } finally {
      receiverVertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** Where docs/METRICS.md's table of every family starts and ends. */
  static final String TABLE_START =
      "<!-- generated from /metrics by VertxMetersIT: do not edit by hand -->\n";

  static final String TABLE_END = "<!-- end of the generated table -->";

  @Test
  void theMetricsReferenceHasEveryFamilyOfThePage(@TempDir Path data) throws Exception {
    // with an export target (nothing listens on it), whose families exist only then
    try (Running running =
        start(
            "--export-remote-write",
            "http://127.0.0.1:9/api/v1/write",
            "--data-dir",
            data.toString())) {
      Gateway g = running.gateway;
      String page = get(running.vertx.createHttpClient(), g.httpPort(), "/metrics");
      Path doc = Path.of("..", "docs", "METRICS.md");
      String text = Files.readString(doc, StandardCharsets.UTF_8);
      int from = text.indexOf(TABLE_START);
      int to = text.indexOf(TABLE_END);
      assertThat(from).as("the generated table's start in " + doc).isNotNegative();
      assertThat(to).as("its end").isGreaterThan(from);
      String expected =
          text.substring(0, from + TABLE_START.length()) + familyTable(page) + text.substring(to);
      if (Boolean.getBoolean("regenerate")) {
        Files.writeString(doc, expected, StandardCharsets.UTF_8);
      }
      assertThat(text)
          .as(
              doc
                  + " differs from the page: regenerate with mvn -pl gateway verify"
                  + " -Dit.test=VertxMetersIT -Dregenerate=true")
          .isEqualTo(expected);
    }
  }

  /**
   * The page's {@code tally_} families as a markdown table: name, type, label names (from its
   * samples), help; by name, labels by name, so that the table pins what each family is and not
   * where the page writes it.
   */
  static String familyTable(String page) {
    Map<String, String> types = new TreeMap<>();
    Map<String, String> helps = new TreeMap<>();
    Map<String, Set<String>> labels = new TreeMap<>();
    for (String line : page.split("\n")) {
      if (line.startsWith("# HELP tally_") || line.startsWith("# TYPE tally_")) {
        int end = line.indexOf(' ', 7);
        String name = line.substring(7, end);
        (line.startsWith("# HELP") ? helps : types).put(name, line.substring(end + 1));
        labels.putIfAbsent(name, new TreeSet<>());
      } else if (line.startsWith("tally_")) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String sample = line.substring(0, brace > 0 && brace < space ? brace : space);
        Set<String> names = labels.get(sample);
        if (names != null && brace > 0 && brace < space) {
          Matcher m = LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
          while (m.find()) {
            names.add(m.group(1));
          }
        }
      }
    }
    StringBuilder sb =
        new StringBuilder("\n| metric | type | labels | what |\n|---|---|---|---|\n");
    for (Map.Entry<String, String> e : types.entrySet()) {
      String name = e.getKey();
      sb.append("| `")
          .append(name)
          .append("` | ")
          .append(e.getValue())
          .append(" | ")
          .append(String.join(", ", labels.get(name)))
          .append(" | ")
          .append(helps.getOrDefault(name, "").replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.append('\n').toString();
  }

  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

  /** A gateway on a Vert.x built as {@code main} builds it, with free ports and {@code flags}. */
  private static Running start(String... flags) throws Exception {
    List<String> args = new ArrayList<>(TestGateway.FREE_PORTS);
    args.addAll(List.of("--bind", "127.0.0.1"));
    args.addAll(List.of(flags));
    if (!args.contains("--data-dir")) { // each gateway its own history, never ./data
      args.addAll(
          List.of("--data-dir", java.nio.file.Files.createTempDirectory("tally-data").toString()));
    }
    TallyOptions options = ConfigLoader.load(args.toArray(new String[0]), Map.of()).options;
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = GatewayVertx.create(options, meters);
    try {
      return new Running(vertx, Gateway.start(vertx, options, meters).await(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      vertx.close().await(20, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** A started gateway and its Vert.x, both stopped on close. */
  private record Running(Vertx vertx, Gateway gateway) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try {
        gateway.stop(0).await(20, TimeUnit.SECONDS);
      } finally {
        vertx.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.send().compose(resp -> resp.body()))
        .map(b -> b.toString())
        .await(20, TimeUnit.SECONDS);
  }
}
