package dev.tally.gateway.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.tally.testing.Chromium;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;

/**
 * Not a test: measures whether the dashboard stays smooth with 200 live charts at 1 Hz in headless
 * Chromium. Starts a gateway (1 s tick) fed with 250 StatsD series (timers and counters), opens the
 * page, pins 200 series, then counts animation frames and long tasks (main thread busy over 50 ms)
 * for 20 s.
 *
 * <pre>
 * mvn -q -pl gateway dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -cp gateway/target/test-classes:gateway/target/classes:$(cat cp.txt) \
 *   dev.tally.gateway.bench.DashboardFrames
 * </pre>
 */
public final class DashboardFrames {
  private DashboardFrames() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    TestGateway tally = TestGateway.start(vertx, "--tick", "1s");
    int[] n = {0};
    vertx.setPeriodic(
        100,
        id -> {
          StringBuilder p = new StringBuilder();
          for (int i = 0; i < 250; i++) {
            p.append("ui.s")
                .append(i)
                .append(i % 2 == 0 ? ":" + (10 + (n[0] + i) % 90) + "|ms\n" : ":1|c\n");
            if (p.length() > 1200) {
              tally.send(p.toString());
              p.setLength(0);
            }
          }
          tally.send(p.toString());
          n[0]++;
        });
    try (Playwright pw = Chromium.playwright();
        Browser browser = Chromium.launch(pw)) {
      Page page = browser.newPage(new Browser.NewPageOptions().setViewportSize(1600, 1000));
      page.navigate("http://127.0.0.1:" + tally.gateway().httpPort() + "/");
      try {
        page.waitForFunction("() => document.querySelectorAll('#series-list li').length >= 250");
      } finally {
        System.out.println(
            "list: "
                + page.evaluate("() => document.querySelectorAll('#series-list li').length")
                + ", state: "
                + page.evaluate("() => document.getElementById('state').dataset.state"));
      }
      page.evaluate(
          "() => { for (let i = 0; i < 200; i++)" // the list is redrawn after each click
              + " document.querySelectorAll('#series-list li')[i].click(); }");
      page.waitForFunction("() => document.querySelectorAll('.chart').length === 200");
      Object result =
          page.evaluate(
              "() => new Promise(done => {"
                  + " const long = []; new PerformanceObserver(l => l.getEntries().forEach(e => long.push(e.duration)))"
                  + "   .observe({entryTypes: ['longtask']});"
                  + " let frames = 0, maxGap = 0; const start = performance.now(); let last = start;"
                  + " function frame(t) { frames++; maxGap = Math.max(maxGap, t - last); last = t;"
                  + "   if (t - start < 20000) requestAnimationFrame(frame);"
                  + "   else done({fps: frames / ((t - start) / 1000), maxFrameGapMs: maxGap,"
                  + "     longTasks: long.length, longestTaskMs: long.length ? Math.max(...long) : 0,"
                  + "     charts: document.querySelectorAll('.chart').length,"
                  + "     points: +document.querySelector('.chart').dataset.points}); }"
                  + " requestAnimationFrame(frame); })");
      System.out.println("200 charts, 20 s: " + result);
    } finally {
      tally.close();
      vertx.close();
    }
  }
}
