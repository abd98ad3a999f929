package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import com.timgroup.statsd.StatsDClient;
import dev.tally.testing.Chromium;
import dev.tally.testing.DebianTool;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dashboard's panels in a real headless Chromium, fed by two instrumented apps: the
 * OpenTelemetry Java SDK exporting {@code http.server.request.duration} (an explicit-bucket
 * histogram, seconds, the semantic conventions' buckets) over OTLP gRPC, and java-dogstatsd-client
 * sending a counter by route, a gauge and a timer over UDP, both with labels common to every
 * series. Screenshots of each panel kind land in {@code target/}.
 */
@ExtendWith(VertxExtension.class)
class DashboardPanelsIT {
  private static final List<String> ROUTES =
      List.of("/", "/cart", "/checkout", "/login", "/search", "/product");

  /** The semantic conventions' advice for http.server.request.duration. */
  private static final List<Double> BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  private static final String REQUESTS = panel("shop_requests_total");
  private static final String DURATION = panel("http_server_request_duration_seconds");
  private static final String QUEUE = panel("shop_queue_depth");
  private static final String DB = panel("shop_db_latency_seconds");
  private static final String CLIENT = panel("http_client_request_duration_seconds");

  private final List<String> errors = new ArrayList<>(); // the page's console errors
  private TestGateway tally;
  private Playwright pw;
  private Browser browser;
  private OtelSdk otel;
  private StatsDClient statsd;
  private long traffic;

  private static String panel(String family) {
    return ".panel-chart[data-family=\"" + family + "\"]";
  }

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    DebianTool.require(Chromium.EXECUTABLE, "chromium");
    pw = Chromium.playwright();
    browser = Chromium.launch(pw);
    tally = TestGateway.start(vertx, "--tick", "500ms");
    otel =
        new OtelSdk(
            tally.gateway(),
            OtelSdk.Transport.GRPC,
            AggregationTemporality.CUMULATIVE,
            "http.client.request.duration");
    DoubleHistogram client =
        otel.provider()
            .get("shop")
            .histogramBuilder("http.client.request.duration")
            .setUnit("s")
            .build();
    DoubleHistogram duration =
        otel.provider()
            .get("shop")
            .histogramBuilder("http.server.request.duration")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(BUCKETS)
            .build();
    statsd =
        new NonBlockingStatsDClientBuilder()
            .prefix("shop")
            .hostname("127.0.0.1")
            .port(tally.gateway().statsdPort())
            .constantTags("service:shop")
            .enableTelemetry(false)
            .enableAggregation(false)
            .originDetectionEnabled(false)
            .build();
    int[] n = {0};
    traffic =
        vertx.setPeriodic(
            200,
            id -> {
              n[0]++;
              for (String route : ROUTES) {
                statsd.count("requests", 1 + ROUTES.indexOf(route), "route:" + route);
              }
              statsd.gauge("queue.depth", n[0] % 9);
              statsd.recordExecutionTime("db.latency", 20 + n[0] % 30);
              // nine of ten requests take 30 ms, one 600 ms: p50 in (25 ms, 50 ms], p99 in
              // (500 ms, 750 ms]
              for (String route : List.of("/cart", "/checkout")) {
                Attributes a = Attributes.of(AttributeKey.stringKey("http.route"), route);
                for (int i = 0; i < 9; i++) {
                  duration.record(0.03, a);
                }
                duration.record(0.6, a);
              }
              for (int i = 0; i < 9; i++) {
                client.record(0.03); // an exponential histogram: buckets about 2 % wide
              }
              client.record(0.6);
              vertx.executeBlocking(
                  () -> {
                    otel.flush();
                    return null;
                  });
            });
  }

  @AfterEach
  void stop(Vertx vertx) throws Exception {
    vertx.cancelTimer(traffic);
    if (statsd != null) {
      statsd.stop();
    }
    if (otel != null) {
      otel.close();
    }
    if (tally != null) {
      tally.close();
    }
    if (browser != null) {
      browser.close();
    }
    if (pw != null) {
      pw.close();
    }
  }

  private Page open(String query) {
    Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1500, 1100));
    page.onPageError(errors::add);
    page.onConsoleMessage(
        m -> {
          if (m.type().equals("error")) {
            errors.add(m.text() + " at " + m.location());
          }
        });
    page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/" + query);
    page.waitForSelector("#state[data-state=live]");
    return page;
  }

  private static JsonObject getJson(java.net.http.HttpClient http, String url) throws Exception {
    return new JsonObject(
        http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static JsonObject legend(Page page, String panel, String labels) {
    Object o =
        page.evaluate(
            "([sel, labels]) => { const li = [...document.querySelectorAll(sel + ' .legend li')]"
                + ".find(l => l.dataset.labels === labels); return li ? {...li.dataset} : null; }",
            List.of(panel, labels));
    return o == null ? null : new JsonObject((java.util.Map<String, Object>) o);
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"sse", "ws"})
  void aMetricIsOnePanelWithALineAndALegendEntryPerLabelSet(String transport) throws Exception {
    Page page = open("?transport=" + transport);

    // six label sets of the StatsD counter: one panel, six lines, the legend names the route only
    page.waitForSelector(REQUESTS + "[data-lines=\"6\"]");
    assertThat(page.locator(".panel-chart[data-family^=\"shop_requests\"]").count()).isEqualTo(1);
    Locator legend = page.locator(REQUESTS + " .legend li");
    assertThat(legend.count()).isEqualTo(6);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      labels.add(legend.nth(i).getAttribute("data-labels"));
    }
    assertThat(labels)
        .containsExactlyInAnyOrderElementsOf(
            ROUTES.stream().map(r -> "route=\"" + r + "\"").toList());
    assertThat(page.textContent(REQUESTS + " .common")).isEqualTo("{service=\"shop\"}");
    assertThat(page.textContent(REQUESTS + " .unit")).contains("rate /s");
    // a rate per route: /checkout sends 3 a tick of 200 ms, about 15/s
    page.waitForFunction(
        "sel => [...document.querySelectorAll(sel + ' .legend li')].every(l => +l.dataset.rate > 0)",
        REQUESTS);
    assertThat(page.locator(REQUESTS + " canvas").count()).isEqualTo(1);

    // the OTLP histogram: p50 and p99 of each route within the bucket width of what was sent
    page.waitForSelector(DURATION + "[data-lines=\"2\"]");
    page.waitForFunction(
        "sel => [...document.querySelectorAll(sel + ' .legend li')]"
            + ".every(l => l.dataset.p50 !== '' && l.dataset.p99 !== '')",
        DURATION);
    for (String route : List.of("/cart", "/checkout")) {
      JsonObject values = legend(page, DURATION, "http_route=\"" + route + "\"");
      assertThat(values).as("legend of %s", route).isNotNull();
      double p50 = Double.parseDouble(values.getString("p50"));
      double p99 = Double.parseDouble(values.getString("p99"));
      assertThat(p50).as("p50, sent 0.03 in (0.025, 0.05]").isBetween(0.025, 0.05);
      assertThat(p99).as("p99, sent 0.6 in (0.5, 0.75]").isBetween(0.5, 0.75);
    }
    // the exponential histogram: quantiles from its buckets, within 5 % (buckets about 2 % wide)
    page.waitForFunction(
        "sel => { const l = document.querySelector(sel + ' .legend li');"
            + " return l && l.dataset.p50 !== '' && l.dataset.p99 !== ''; }",
        CLIENT);
    JsonObject exponential = legend(page, CLIENT, "");
    assertThat(Double.parseDouble(exponential.getString("p50"))).isCloseTo(0.03, within(0.0015));
    assertThat(Double.parseDouble(exponential.getString("p99"))).isCloseTo(0.6, within(0.03));
    assertThat(page.locator(DURATION + " .scale").textContent())
        .as("latencies on a log scale")
        .isEqualTo("log");

    // pin a panel, then search: the pinned panel stays first and the matches show
    page.click(QUEUE + " button.pin");
    page.waitForFunction(
        "() => new URLSearchParams(location.search).get('pin') === 'shop_queue_depth'");
    page.fill("#search", "http_*");
    page.press("#search", "Enter");
    page.locator("#search").blur();
    page.waitForSelector(DURATION);
    page.waitForFunction(
        "() => [...document.querySelectorAll('#charts > .panel-chart')].map(p => p.dataset.family)"
            + ".join() === 'shop_queue_depth,http_client_request_duration_seconds,"
            + "http_server_request_duration_seconds'");
    assertThat(page.locator("#charts .empty").count()).isZero();
    page.waitForSelector(
        "#series-list button[data-family=\"http_server_request_duration_seconds\"]");
    assertThat(page.locator("#panel-count").getAttribute("data-shown")).isEqualTo("3");

    // the view survives a reload
    page.reload();
    page.waitForSelector("#state[data-state=live]");
    assertThat(page.inputValue("#search")).isEqualTo("http_*");
    page.waitForSelector(QUEUE + ".pinned");
    assertThat(page.getAttribute(QUEUE + " button.pin", "aria-pressed")).isEqualTo("true");

    // by label: only the series of that route
    page.fill("#search", "shop_* route=/cart");
    page.locator("#search").blur();
    page.waitForSelector(REQUESTS + "[data-lines=\"1\"]");
    assertThat(page.locator(REQUESTS + " .legend li").count()).isEqualTo(1);
    assertThat(errors).as("console errors").isEmpty();
  }

  @Test
  void everyPanelKindIsDrawnAndGroupingByALabelMergesItsLines() throws Exception {
    Page page = open("");
    Files.createDirectories(Path.of("target"));
    for (String[] kind :
        new String[][] {
          {REQUESTS, "counter"},
          {QUEUE, "gauge"},
          {DB, "timer"},
          {DURATION, "otlp-histogram"},
          {CLIENT, "otlp-exponential-histogram"}
        }) {
      page.waitForFunction("sel => +document.querySelector(sel)?.dataset.points >= 5", kind[0]);
      page.locator(kind[0]).scrollIntoViewIfNeeded();
      page.locator(kind[0])
          .screenshot(
              new Locator.ScreenshotOptions()
                  .setPath(Path.of("target", "dashboard-panel-" + kind[1] + ".png")));
    }
    assertThat(page.textContent(DB + " .legend li .value")).contains("ms");
    // the keyboard: a series in the list is a button; Enter pins its metric's panel
    page.focus("#series-list button[data-family=\"shop_queue_depth\"]");
    page.keyboard().press("Enter");
    page.waitForSelector(QUEUE + ".pinned");
    assertThat(page.getAttribute(QUEUE + " button.pin", "aria-pressed")).isEqualTo("true");
    // group the counter by service: one line, the sum of the six routes' rates
    page.selectOption(REQUESTS + " select.group-by", "service");
    page.waitForSelector(REQUESTS + "[data-lines=\"1\"]");
    assertThat(page.getAttribute(REQUESTS + " .legend li", "data-labels"))
        .isEqualTo("service=\"shop\"");
    page.waitForFunction(
        "() => new URLSearchParams(location.search).get('group') === 'shop_requests_total:service'");
    // the query box is part of the view too
    page.fill("#query", "sum(rate(shop_requests_total[1m]))");
    page.click("#query-form button");
    page.waitForFunction(
        "() => new URLSearchParams(location.search).get('expr') === 'sum(rate(shop_requests_total[1m]))'");
    page.reload();
    page.locator(REQUESTS).scrollIntoViewIfNeeded(); // only panels on screen are drawn
    page.waitForSelector(REQUESTS + "[data-lines=\"1\"]");
    assertThat(page.inputValue("#query")).isEqualTo("sum(rate(shop_requests_total[1m]))");
    assertThat(page.inputValue(REQUESTS + " select.group-by")).isEqualTo("service");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "dashboard-panels.png"))
            .setFullPage(true));
    assertThat(errors).as("console errors").isEmpty();
  }

  @Test
  void aRuleMadeInTheUiIsPreviewedFiresIsEditedAndDeleted() throws Exception {
    Page page = open("");
    page.onDialog(d -> d.accept());
    page.click("#rules summary");
    page.click("#rule-new");
    page.fill("#rule-form [name=name]", "requests-seen");
    page.fill("#rule-form [name=match]", "shop.requests");
    page.fill("#rule-form [name=tags]", "route=/cart");
    page.selectOption("#rule-form [name=value]", "rate");
    page.selectOption("#rule-form [name=op]", ">");
    page.fill("#rule-form [name=threshold]", "0");
    page.selectOption("#rule-form [name=severity]", "critical");
    page.waitForSelector(REQUESTS + "[data-lines=\"6\"]");
    page.click("#rule-preview-button");
    page.waitForSelector("#rule-preview .preview-head[data-total=\"1\"][data-breached=\"1\"]");
    assertThat(page.getAttribute("#rule-preview li", "data-series"))
        .isEqualTo("shop_requests_total{route=\"/cart\",service=\"shop\"}");
    page.click("#rule-save");
    String row = "#alert-table tr[data-rule=\"requests-seen\"]";
    page.waitForSelector(row + "[data-state=firing]");

    // the alert list filters by severity and state
    page.selectOption("#alert-severity", "info");
    page.waitForSelector(
        row,
        new Page.WaitForSelectorOptions()
            .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
    page.selectOption("#alert-severity", "critical");
    page.selectOption("#alert-state", "firing");
    page.waitForSelector(row);

    // what the form does not show (labels, repeat) is kept by an edit: given through the API
    String url = "http://127.0.0.1:" + tally.gateway().httpPort() + "/api/rules/requests-seen";
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    JsonObject rule = getJson(http, url);
    rule.put("labels", new JsonObject().put("team", "shop")).put("repeat", "10m");
    assertThat(
            http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                        .header("content-type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(rule.encode()))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(200);
    page.waitForSelector("#rule-list li[data-rule=\"requests-seen\"][data-repeat=\"600000ms\"]");

    // a bad edit is refused with the problem named; a good one replaces the rule
    page.click("#rule-list li[data-rule=\"requests-seen\"] button.edit");
    page.fill("#rule-form [name=for]", "soon");
    page.click("#rule-save");
    page.waitForSelector("#rule-errors li");
    assertThat(page.textContent("#rule-errors li")).startsWith("for:");
    page.fill("#rule-form [name=for]", "0s");
    page.fill("#rule-form [name=threshold]", "1000000");
    page.click("#rule-preview-button");
    page.waitForSelector("#rule-preview .preview-head[data-total=\"1\"][data-breached=\"0\"]");
    page.click("#rule-save");
    page.waitForFunction(
        "() => (document.querySelector('#rule-list li[data-rule=\"requests-seen\"]')?.textContent"
            + " ?? '').includes('> 1000000')");
    JsonObject edited = getJson(http, url);
    assertThat(edited.getJsonObject("labels").getString("team")).isEqualTo("shop");
    assertThat(edited.getString("repeat")).isEqualTo("600000ms");
    assertThat(edited.getJsonObject("tags").getString("route")).isEqualTo("/cart");
    page.click("#rule-list li[data-rule=\"requests-seen\"] button.delete");
    page.waitForSelector(
        "#rule-list li[data-rule=\"requests-seen\"]",
        new Page.WaitForSelectorOptions()
            .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "dashboard-rule-editor.png"))
            .setFullPage(true));
    assertThat(errors)
        .as("console errors: the browser logs the bad edit's 400 only")
        .hasSize(1)
        .allMatch(e -> e.contains("status of 400 (Bad Request)"));
  }

  /**
   * Deque's axe rules for WCAG 2 A and AA (labels, names, contrast, ...) in both themes, with the
   * panels, the rule form and the alert list on the page: no violation.
   */
  @Test
  void thePageHasNoAccessibilityViolationsInEitherTheme() throws Exception {
    String axe;
    try (InputStream in = getClass().getResourceAsStream("/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Page page = open("");
    page.waitForSelector(DURATION + "[data-lines=\"2\"]");
    page.waitForFunction("sel => +document.querySelector(sel)?.dataset.points >= 3", DB);
    page.click("#rules summary");
    page.click("#rule-new");
    page.addScriptTag(new Page.AddScriptTagOptions().setContent(axe));
    for (String theme : List.of("light", "dark")) {
      page.evaluate("t => { document.documentElement.dataset.theme = t; }", theme);
      String result =
          (String)
              page.evaluate(
                  "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
                      + ".then(r => JSON.stringify(r.violations.map(v => ({id: v.id,"
                      + " impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))");
      assertThat(new JsonArray(result)).as("axe violations, %s theme", theme).isEmpty();
    }
    assertThat(errors).as("console errors").isEmpty();
  }
}
