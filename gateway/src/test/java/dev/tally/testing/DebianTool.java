package dev.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A program from a Debian package that a test needs (promtool, Alertmanager, Chromium, lintian):
 * where it is missing the test is skipped, except under CI, where {@code .ci/run} installs it and
 * its absence fails the test.
 */
public final class DebianTool {
  private DebianTool() {}

  /** Skips the calling test if {@code executable} is missing, or fails it under CI. */
  public static void require(Path executable, String debianPackage) {
    if (!Files.isExecutable(executable)) {
      assertThat(System.getenv("CI"))
          .as(executable + " is missing under CI: .ci/run must install Debian's " + debianPackage)
          .isNull();
      assumeTrue(
          false,
          executable + " not installed (apt-get install " + debianPackage + "): test skipped");
    }
  }
}
