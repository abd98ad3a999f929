package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tally.protocol.promql.Labels;
import dev.tally.testing.Chromium;
import dev.tally.testing.DebianTool;
import dev.tally.testing.TestGateway;
import dev.tally.verticles.history.HistoryOptions;
import dev.tally.verticles.history.HistoryStore;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard in a real headless Chromium (Debian package {@code chromium}, installed by {@code
 * .ci/run}) driven by Playwright, while StatsD traffic flows: the series appears, its chart
 * updates, the theme switches, no console error occurs; a screenshot lands in {@code target/}.
 * Where Chromium is missing the test is skipped, except under CI, where it fails.
 */
@ExtendWith(VertxExtension.class)
class DashboardBrowserIT {
  private static final String LATENCY = ".panel-chart[data-family=\"checkout_latency_seconds\"]";

  private TestGateway tally;
  private long traffic;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    DebianTool.require(Chromium.EXECUTABLE, "chromium");
    tally = TestGateway.start(vertx, "--tick", "200ms");
    int[] n = {0};
    traffic =
        vertx.setPeriodic(
            50,
            id -> {
              n[0]++;
              tally.send(
                  "checkout.latency:"
                      + (40 + n[0] % 60)
                      + "|ms\nshop.orders:1|c\nqueue.depth:"
                      + n[0] % 9
                      + "|g");
            });
  }

  @AfterEach
  void stop(Vertx vertx) throws Exception {
    vertx.cancelTimer(traffic);
    if (tally != null) {
      tally.close();
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"sse", "ws"})
  void seriesAppearsAndItsChartUpdatesWithoutConsoleErrors(String transport) throws Exception {
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
      List<String> errors = new ArrayList<>();
      page.onConsoleMessage(
          m -> {
            if (m.type().equals("error")) {
              errors.add(m.text() + " at " + m.location());
            }
          });
      page.onPageError(errors::add);
      page.onResponse(
          r -> {
            if (r.status() >= 400) {
              errors.add(r.status() + " " + r.url());
            }
          });

      page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/?transport=" + transport);
      page.waitForSelector("#state[data-state=live]");
      Locator chart = page.locator(LATENCY);
      chart.waitFor();
      int before = Integer.parseInt(chart.getAttribute("data-points"));
      page.waitForFunction(
          "([sel, n]) => +document.querySelector(sel).dataset.points >= n",
          List.of(LATENCY, before + 3));
      assertThat(page.locator("#series-list button[data-key=\"shop_orders_total{}\"]").count())
          .isEqualTo(1);
      assertThat(page.locator(LATENCY + " canvas").count()).isEqualTo(1);
      page.waitForFunction("() => document.getElementById('tile-ingest').textContent !== '–'");

      String theme = (String) page.evaluate("document.documentElement.dataset.theme");
      page.click("#theme");
      assertThat(page.evaluate("document.documentElement.dataset.theme")).isNotEqualTo(theme);

      Files.createDirectories(Path.of("target"));
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "dashboard-" + transport + ".png"))
              .setFullPage(true));
      assertThat(errors).as("console errors").isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void theAlertsPanelShowsAFiringAlertAndAcknowledgesAndSilencesIt() throws Exception {
    java.net.http.HttpResponse<String> created =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + tally.gateway().httpPort() + "/api/rules"))
                    .header("content-type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"queue-seen\",\"match\":\"queue.depth\","
                                + "\"value\":\"value\",\"op\":\">=\",\"threshold\":0,"
                                + "\"severity\":\"info\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).isEqualTo(201);
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
      List<String> errors = new ArrayList<>();
      page.onPageError(errors::add);
      page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/");
      String row = "#alert-table tr[data-rule=\"queue-seen\"]";
      page.waitForSelector(row + "[data-state=firing]");
      assertThat(page.locator("#rule-list li[data-rule=\"queue-seen\"]").count()).isEqualTo(1);
      page.fill("#alert-by", "ana");
      page.click(row + " button.ack");
      page.waitForSelector(row + " .acked");
      assertThat(page.textContent(row + " .acked")).isEqualTo("acked by ana");
      page.click(row + " button.silence");
      page.waitForSelector(row + ".silenced");
      Files.createDirectories(Path.of("target"));
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "dashboard-alerts.png"))
              .setFullPage(true));
      assertThat(errors).as("page errors").isEmpty();
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"sse", "ws"})
  void theTracesAndLogsPanelsShowErrorAndSlowTracesAWaterfallAndALiveTail(String transport)
      throws Exception {
    long base = System.currentTimeMillis() * TracesLogsIT.MS;
    io.opentelemetry.proto.trace.v1.Span root =
        TracesLogsIT.span(1, "GET /pay", base, base + 40 * TracesLogsIT.MS, false);
    io.opentelemetry.proto.trace.v1.Span child =
        TracesLogsIT.span(
                1, "charge", base + 5 * TracesLogsIT.MS, base + 30 * TracesLogsIT.MS, true)
            .toBuilder()
            .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 9}))
            .setParentSpanId(root.getSpanId())
            .build();
    io.opentelemetry.proto.trace.v1.Span slow =
        TracesLogsIT.span(2, "GET /report", base, base + 1500 * TracesLogsIT.MS, false);
    io.opentelemetry.proto.logs.v1.LogRecord failed =
        TracesLogsIT.record("before load: card declined", 17).toBuilder()
            .addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
                    .setKey("exception.type")
                    .setValue(
                        io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
                            .setStringValue("java.io.IOException")))
            .build();
    try (dev.tally.testing.OtlpClient otlp = new dev.tally.testing.OtlpClient(tally.gateway())) {
      assertThat(
              otlp.http(
                      dev.tally.protocol.otlp.OtlpSignal.TRACES,
                      TracesLogsIT.traces(root, child, slow).toByteArray(),
                      "application/x-protobuf",
                      null)
                  .status)
          .isEqualTo(200);
      assertThat(
              otlp.http(
                      dev.tally.protocol.otlp.OtlpSignal.LOGS,
                      TracesLogsIT.logs(failed).toByteArray(),
                      "application/x-protobuf",
                      null)
                  .status)
          .isEqualTo(200);
      try (Playwright pw = Chromium.playwright();
          Browser browser = Chromium.launch(pw)) {
        Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 1100));
        List<String> errors = new ArrayList<>();
        page.onPageError(errors::add);
        page.navigate(
            "http://127.0.0.1:" + tally.gateway().httpPort() + "/?transport=" + transport);
        page.waitForSelector("#state[data-state=live]");
        String errorTrace = "#error-traces li[data-trace=\"00000000000000070000000000000001\"]";
        page.waitForSelector(errorTrace);
        page.waitForSelector("#slow-traces li[data-trace=\"00000000000000070000000000000002\"]");
        assertThat(page.textContent("#slow-traces li:first-child")).contains("GET /report");
        page.click(errorTrace);
        page.waitForSelector("#waterfall .row.span");
        assertThat(page.locator("#waterfall .row.span").count()).isEqualTo(2);
        assertThat(page.locator("#waterfall .bar.error").count()).isEqualTo(1);
        page.waitForSelector("#log-table td.body:has-text(\"before load\")");
        page.waitForFunction(
            "() => document.getElementById('log-errors').textContent.includes('java.io.IOException')");

        // the live tail: a record sent now shows up without a search
        assertThat(
                otlp.http(
                        dev.tally.protocol.otlp.OtlpSignal.LOGS,
                        TracesLogsIT.logs(TracesLogsIT.record("live over " + transport, 9))
                            .toByteArray(),
                        "application/x-protobuf",
                        null)
                    .status)
            .isEqualTo(200);
        page.waitForSelector("#log-table td.body:has-text(\"live over " + transport + "\")");

        page.fill("#log-q", "declined");
        page.click("#log-search button");
        page.waitForFunction("() => document.querySelectorAll('#log-table tr').length === 1");
        assertThat(page.textContent("#log-table td.body")).isEqualTo("before load: card declined");
        // the tail now asks the server for the form's filter: of two records in one request (so in
        // one logs message), only the matching one arrives
        page.waitForSelector("#state[data-state=live]"); // SSE reconnects with the filter
        assertThat(
                otlp.http(
                        dev.tally.protocol.otlp.OtlpSignal.LOGS,
                        TracesLogsIT.logs(
                                TracesLogsIT.record("live other " + transport, 9),
                                TracesLogsIT.record("live declined " + transport, 9))
                            .toByteArray(),
                        "application/x-protobuf",
                        null)
                    .status)
            .isEqualTo(200);
        page.waitForSelector("#log-table td.body:has-text(\"live declined " + transport + "\")");
        assertThat(page.locator("#log-table td.body:has-text(\"live other\")").count()).isZero();
        Files.createDirectories(Path.of("target"));
        page.screenshot(
            new Page.ScreenshotOptions()
                .setPath(Path.of("target", "dashboard-traces-logs-" + transport + ".png"))
                .setFullPage(true));
        assertThat(errors).as("page errors").isEmpty();
      }
    }
  }

  /**
   * A latency chart of span durations draws the exemplars of kept traces (error spans here) as
   * points; clicking one opens the trace's waterfall.
   */
  @org.junit.jupiter.api.Test
  void anExemplarOnALatencyChartOpensItsTrace(Vertx vertx) throws Exception {
    long[] n = {100};
    dev.tally.testing.OtlpClient otlp = new dev.tally.testing.OtlpClient(tally.gateway());
    long spans =
        vertx.setPeriodic(
            0,
            300,
            id -> {
              long now = System.currentTimeMillis() * TracesLogsIT.MS;
              long trace = n[0]++;
              byte[] request =
                  TracesLogsIT.traces(
                          TracesLogsIT.span(
                              trace,
                              "POST /pay",
                              now - (20 + trace % 30) * TracesLogsIT.MS,
                              now,
                              true))
                      .toByteArray();
              vertx.executeBlocking(
                  () ->
                      otlp.http(
                          dev.tally.protocol.otlp.OtlpSignal.TRACES,
                          request,
                          "application/x-protobuf",
                          null));
            });
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 1100));
      List<String> errors = new ArrayList<>();
      page.onPageError(errors::add);
      page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/?transport=sse");
      page.waitForSelector("#state[data-state=live]");
      page.fill("#search", "traces_span_metrics_duration*");
      page.locator("#search").blur(); // the input's change event: a new subscription
      String chart = ".panel-chart[data-family=\"traces_span_metrics_duration_seconds\"]";
      page.waitForSelector(chart);
      Locator exemplar = page.locator(chart + " button.exemplar").first();
      exemplar.waitFor(new Locator.WaitForOptions().setTimeout(30_000));
      String trace = exemplar.getAttribute("data-trace");
      assertThat(trace).hasSize(32);
      exemplar.click();
      page.waitForSelector("#waterfall .row.span");
      assertThat(page.textContent("#waterfall .row.head")).startsWith(trace);
      assertThat(page.locator("#waterfall .bar.error").count()).isEqualTo(1);
      // the chart keeps its exemplars (a scatter of them, each a button) after the click
      assertThat(page.locator(chart + " button.exemplar").count()).isPositive();
      Files.createDirectories(Path.of("target"));
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "dashboard-exemplar.png"))
              .setFullPage(true));
      assertThat(errors).as("page errors").isEmpty();
    } finally {
      vertx.cancelTimer(spans);
      otlp.close();
    }
  }

  @Test
  void theOverviewShowsAnExportTargetThatHasFailedForLong(@TempDir Path data) throws Exception {
    int dead = TestGateway.freePort(); // nothing listens there
    Vertx own = Vertx.vertx(); // a gateway of its own: not the one every other test here uses
    try (TestGateway exporting =
            TestGateway.start(
                own,
                "--export-remote-write",
                "http://127.0.0.1:" + dead + "/api/v1/write",
                "--export-interval",
                "1s",
                "--export-degraded-after",
                "1s",
                "--data-dir",
                data.toString());
        Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      exporting.send("shop.orders:1|c");
      Page page = browser.newPage();
      page.navigate("http://127.0.0.1:" + exporting.gateway().httpPort() + "/");
      page.waitForFunction(
          "() => document.getElementById('tile-exports').dataset.state === 'degraded'");
      assertThat(page.locator("#tile-exports .target[data-state=degraded]").textContent())
          .isEqualTo("degraded: 127.0.0.1_" + dead + "_api_v1_write");
      assertThat(page.locator("#tile-exports-box").isVisible()).isTrue();
      page.screenshot(
          new Page.ScreenshotOptions().setPath(Path.of("target", "dashboard-export-degraded.png")));
    } finally {
      own.close().await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * After a restart, the range picker shows an hour of a live series' history (written before the
   * gateway started on its data directory, as a previous run would have), and the query box charts
   * a PromQL expression over it.
   */
  @Test
  void theRangePickerShowsAnHourOfHistoryAndTheQueryBoxChartsPromQl(@TempDir Path data)
      throws Exception {
    long now = System.currentTimeMillis();
    long hour = 3_600_000;
    try (HistoryStore store =
        HistoryStore.open(
            new HistoryOptions(
                data.resolve("history"),
                10_000,
                15 * 24 * hour,
                Long.MAX_VALUE,
                HistoryOptions.BLOCK_MILLIS))) {
      int a = store.seriesId(Labels.of(Labels.NAME, "http_requests_total", "route", "/a"));
      int b = store.seriesId(Labels.of(Labels.NAME, "http_requests_total", "route", "/b"));
      long from = (now - hour) / 10_000 * 10_000;
      for (long t = from, i = 0; t < now - 20_000; t += 10_000, i++) {
        store.append(t, new int[] {a, b}, new double[] {i * 50, i * 20}, 2);
      }
    }
    Path rules = data.resolve("rules.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: g\n    rules:\n"
            + "      - alert: RequestsSeen\n        expr: sum(rate(http_requests_total[1m])) > 0\n");
    Vertx own = Vertx.vertx();
    try (TestGateway restarted =
            TestGateway.start(
                own,
                "--tick",
                "200ms",
                "--data-dir",
                data.toString(),
                "--rule-files",
                rules.toString());
        Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      long live = own.setPeriodic(200, id -> restarted.send("http_requests:1|c|#route:/a"));
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1400, 900));
      List<String> errors = new ArrayList<>();
      page.onPageError(errors::add);
      page.onConsoleMessage(
          m -> {
            if (m.type().equals("error")) {
              errors.add(m.text());
            }
          });
      page.navigate("http://127.0.0.1:" + restarted.gateway().httpPort() + "/");
      String chart = ".panel-chart[data-family=\"http_requests_total\"]";
      page.waitForSelector(chart);
      page.selectOption("#range", "1h");
      // about 300 steps of 12 s: the rate has a value from a minute after the history began
      page.waitForFunction(
          "([sel, from]) => { const d = document.querySelector(sel).dataset;"
              + " return +d.points >= 250 && d.from !== '' && +d.from <= from; }",
          List.of(chart, (double) ((now - 50 * 60_000) / 1000)));
      // the rule file's rule is listed by its expression
      page.waitForFunction(
          "() => (document.querySelector('#rule-list li[data-rule=\"RequestsSeen\"]')"
              + " ?.textContent ?? '').includes('sum(rate(http_requests_total[1m])) > 0')");
      page.fill("#query", "sum by (route) (rate(http_requests_total[1m]))");
      page.click("#query-form button");
      page.waitForFunction(
          "() => { const d = document.getElementById('query-chart').dataset;"
              + " return d.series === '2' && +d.points >= 400; }");
      assertThat(errors).as("console errors").isEmpty();
      // a bad query: Prometheus' parse error under the box (and the browser logs the 400)
      page.fill("#query", "rate(http_requests_total)");
      page.click("#query-form button");
      page.waitForFunction(
          "() => document.getElementById('query-error').textContent.includes('parse error')");
      page.fill("#query", "sum by (route) (rate(http_requests_total[1m]))");
      page.click("#query-form button");
      page.waitForFunction("() => document.getElementById('query-error').textContent === ''");
      Files.createDirectories(Path.of("target"));
      page.screenshot(
          new Page.ScreenshotOptions()
              .setPath(Path.of("target", "dashboard-history.png"))
              .setFullPage(true));
      own.cancelTimer(live);
      assertThat(errors)
          .as("console errors")
          .allMatch(e -> e.contains("status of 400 (Bad Request)"));
    } finally {
      own.close().await(20, TimeUnit.SECONDS);
    }
  }
}
