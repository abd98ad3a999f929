package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.DebianTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .deb} that {@code mvn package} builds: its control data and contents ({@code dpkg-deb
 * -I}, {@code -c}), Debian's {@code lintian} without errors (installed by {@code .ci/run}; skipped
 * where missing, except under CI), and its launcher, unpacked, checking the shipped configuration.
 */
class DebPackageIT {
  private static Path deb() throws Exception {
    try (var files = Files.list(Path.of("target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("tally_.*_all\\.deb"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no target/tally_*_all.deb: mvn package"));
    }
  }

  private static String run(List<String> command, int expectedExit) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(String.join(" ", command) + " said:\n" + out)
        .isEqualTo(expectedExit);
    return out;
  }

  @Test
  void controlDataAndContentsAreThoseOfAService() throws Exception {
    DebianTool.require(Path.of("/usr/bin/dpkg-deb"), "dpkg");
    String deb = deb().toString();
    assertThat(run(List.of("dpkg-deb", "-I", deb), 0))
        .contains("Package: tally", "Architecture: all", "Depends: default-jre-headless")
        .contains("conffiles", "postinst");
    assertThat(run(List.of("dpkg-deb", "-f", deb, "Version"), 0).trim())
        .matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(run(List.of("dpkg-deb", "-c", deb), 0))
        .contains(
            "./usr/share/tally/lib/tally.jar",
            "./etc/tally/tally.yaml",
            "./usr/bin/tally -> ../share/tally/bin/tally",
            "./usr/lib/systemd/system/tally.service",
            "./usr/share/doc/tally/copyright",
            "./usr/share/doc/tally/changelog.gz");
  }

  @Test
  void lintianFindsNoErrors() throws Exception {
    DebianTool.require(Path.of("/usr/bin/lintian"), "lintian");
    String out = run(List.of("lintian", "--tag-display-limit", "0", deb().toString()), 0);
    assertThat(out).doesNotContainPattern("(?m)^E: ");
  }

  @Test
  void theUnpackedLauncherChecksTheShippedConfigurationAndTheUnitUsesIt(@TempDir Path dir)
      throws Exception {
    DebianTool.require(Path.of("/usr/bin/dpkg-deb"), "dpkg");
    run(List.of("dpkg-deb", "-x", deb().toString(), dir.toString()), 0);
    Path conffile = dir.resolve("etc/tally/tally.yaml");
    assertThat(
            run(
                List.of(
                    dir.resolve("usr/share/tally/bin/tally").toString(),
                    "check-config",
                    conffile.toString()),
                0))
        .contains("a valid configuration");
    String unit = Files.readString(dir.resolve("usr/lib/systemd/system/tally.service"));
    assertThat(unit)
        .contains(
            "User=tally",
            "ExecStartPre=/usr/bin/tally check-config /etc/tally/tally.yaml",
            "ExecStart=/usr/bin/tally",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "StateDirectory=tally",
            "ProtectSystem=strict",
            "NoNewPrivileges=true");
  }
}
