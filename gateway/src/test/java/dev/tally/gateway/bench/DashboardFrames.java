package dev.tally.gateway.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tally.testing.Chromium;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;

/**
 * Not a test: measures whether the dashboard stays smooth with 200 live panels of 10 lines each (2
 * 000 series) at 1 Hz in headless Chromium. Starts a gateway (1 s tick, the live feed carrying 2
 * 000 series) fed with 200 StatsD metrics of 10 label sets each (timers and counters, in turn),
 * opens the page with 200 panels a page, then counts animation frames and long tasks (main thread
 * busy over 50 ms) for 20 s still and 20 s scrolling. {@code -DwarmSeconds=300} waits until every
 * line holds its 300 points first; {@code -Dtrace=FILE} writes a Chromium trace of the measurement.
 *
 * <pre>
 * mvn -q -pl gateway dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java [-DwarmSeconds=300] [-Dtrace=trace.json] \
 *   -cp gateway/target/test-classes:gateway/target/classes:$(cat cp.txt) \
 *   dev.tally.gateway.bench.DashboardFrames
 * </pre>
 */
public final class DashboardFrames {
  /**
   * Counts frames and long tasks for 20 s; with {@code true}, scrolls the page 4 px a frame, down
   * and back up, so that panels come into view and are drawn all along.
   */
  private static final String MEASURE =
      "scroll => new Promise(done => {"
          + " const long = []; new PerformanceObserver(l => l.getEntries().forEach(e => long.push(e.duration)))"
          + "   .observe({entryTypes: ['longtask']});"
          + " let frames = 0, maxGap = 0, dir = 4; const start = performance.now(); let last = start;"
          + " function frame(t) { frames++; maxGap = Math.max(maxGap, t - last); last = t;"
          + "   if (scroll) { const y = scrollY; scrollBy(0, dir);"
          + "     if (scrollY === y) dir = -dir; }"
          + "   if (t - start < 20000) requestAnimationFrame(frame);"
          + "   else done({fps: frames / ((t - start) / 1000), maxFrameGapMs: maxGap,"
          + "     longTasks: long.length, longestTaskMs: long.length ? Math.max(...long) : 0,"
          + "     panels: document.querySelectorAll('.panel-chart').length,"
          + "     series: [...document.querySelectorAll('.panel-chart')]"
          + "       .reduce((s, p) => s + +p.dataset.series, 0),"
          + "     points: +document.querySelector('.panel-chart').dataset.points}); }"
          + " requestAnimationFrame(frame); })";

  private DashboardFrames() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    TestGateway tally =
        TestGateway.start(
            vertx, "--tick", "1s", "--live-max-series", "2000", "--live-history-series", "2000");
    int[] n = {0};
    vertx.setPeriodic(
        100,
        id -> {
          StringBuilder p = new StringBuilder();
          for (int i = 0; i < 200; i++) {
            for (int j = 0; j < 10; j++) {
              p.append("ui.m")
                  .append(i)
                  .append(i % 2 == 0 ? ":" + (10 + (n[0] + i + j) % 90) + "|ms" : ":1|c")
                  .append("|#instance:i")
                  .append(j)
                  .append('\n');
              if (p.length() > 1200) {
                tally.send(p.toString());
                p.setLength(0);
              }
            }
          }
          tally.send(p.toString());
          n[0]++;
        });
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1600, 1000));
      page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/?per=200");
      try {
        page.waitForFunction(
            "() => document.querySelectorAll('.panel-chart').length === 200"
                + " && [...document.querySelectorAll('.panel-chart')]"
                + ".every(p => p.dataset.series === '10')",
            null,
            new Page.WaitForFunctionOptions().setTimeout(120_000));
      } finally {
        System.out.println(
            "panels: "
                + page.evaluate("() => document.querySelectorAll('.panel-chart').length")
                + ", state: "
                + page.evaluate("() => document.getElementById('state').dataset.state"));
      }
      String trace = System.getProperty("trace"); // a Chromium trace of the measured 20 s, if given
      if (trace != null) {
        browser.startTracing(
            page, new Browser.StartTracingOptions().setPath(java.nio.file.Path.of(trace)));
      }
      long warm = Long.getLong("warmSeconds", 0); // lines of up to 300 points need 300 s
      if (warm > 0) {
        page.waitForTimeout(warm * 1000.0);
      }
      for (boolean scroll : new boolean[] {false, true}) {
        Object result = page.evaluate(MEASURE, scroll);
        System.out.println(
            "200 panels, 2000 lines, 20 s"
                + (scroll ? ", scrolling through them" : "")
                + ": "
                + result);
      }
      if (trace != null) {
        browser.stopTracing();
      }
    } finally {
      tally.close();
      vertx.close();
    }
  }
}
