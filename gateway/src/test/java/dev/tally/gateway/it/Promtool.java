package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.DebianTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus' {@code promtool check metrics} (Debian package {@code prometheus}, installed by
 * {@code .ci/run}). Where it is missing the check is skipped, except under CI, where it fails.
 */
final class Promtool {
  private Promtool() {}

  static void assertClean(String exposition) throws IOException, InterruptedException {
    Path promtool = Path.of("/usr/bin/promtool");
    DebianTool.require(promtool, "prometheus");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("promtool check metrics said:\n" + out + "\non:\n" + exposition)
        .isZero();
  }
}
