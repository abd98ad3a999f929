package dev.tally.testing;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Debian's Chromium driven by Playwright, without Playwright's own browser download. */
public final class Chromium {
  /** Where Debian's package {@code chromium} puts the browser. */
  public static final Path EXECUTABLE = Path.of("/usr/bin/chromium");

  private Chromium() {}

  /** Playwright that never downloads a browser (this machine has no such access). */
  public static Playwright playwright() {
    return Playwright.create(
        new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  /** Headless Chromium, as a container without a sandbox or GPU needs it. */
  public static Browser launch(Playwright pw) {
    return pw.chromium()
        .launch(
            new BrowserType.LaunchOptions()
                .setExecutablePath(EXECUTABLE)
                .setHeadless(true)
                .setArgs(
                    List.of(
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update")));
  }
}
