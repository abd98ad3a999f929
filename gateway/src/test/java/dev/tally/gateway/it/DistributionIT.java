package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.GatewayProcess;
import dev.tally.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tar.gz that {@code mvn package} builds, unpacked as a user unpacks it: its contents, and its
 * launcher starting the gateway with the shipped configuration and stopping on SIGTERM.
 */
class DistributionIT {
  private static Path unpacked(Path dir) throws Exception {
    try (var archives = Files.list(Path.of("target"))) {
      Path archive =
          archives
              .filter(p -> p.getFileName().toString().matches("tally-.*\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no target/tally-*.tar.gz: mvn package"));
      Process tar =
          new ProcessBuilder(
                  "tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())
              .inheritIO()
              .start();
      assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(tar.exitValue()).isZero();
    }
    try (var entries = Files.list(dir)) {
      return entries.findFirst().orElseThrow();
    }
  }

  @Test
  void theArchiveHoldsLauncherConfigurationJarAndDocs(@TempDir Path dir) throws Exception {
    Path home = unpacked(dir);
    assertThat(home.getFileName().toString()).startsWith("tally-");
    assertThat(Files.getPosixFilePermissions(home.resolve("bin/tally")))
        .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    assertThat(home.resolve("lib/tally.jar")).isRegularFile();
    assertThat(home.resolve("conf/tally.yaml")).isRegularFile();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(home.resolve("docs/ARCHITECTURE.md")).isRegularFile();
    Process check =
        new ProcessBuilder(home.resolve("bin/tally").toString(), "check-config", "conf/tally.yaml")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("a valid configuration");
    assertThat(check.exitValue()).isZero();
  }

  @Test
  void theLauncherStartsTheGatewayWithTheShippedConfiguration(@TempDir Path dir) throws Exception {
    Path home = unpacked(dir);
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/tally").toString()));
    command.addAll(List.of("--bind", "127.0.0.1", "--statsd-warm-up", "0s"));
    command.addAll(TestGateway.FREE_PORTS);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("TALLY_") || k.equals("JAVA_OPTS"));
    pb.environment().put("TALLY_HEAP_PERCENT", "5");
    GatewayProcess g = GatewayProcess.launch(pb);
    Process p = g.process();
    try {
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + g.httpPort() + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      // the launcher's JVM flags reached the JVM, and the shipped file is its configuration
      assertThat(Files.readString(Path.of("/proc", Long.toString(p.pid()), "environ")))
          .contains("TALLY_CONFIG=" + home.resolve("conf/tally.yaml").toRealPath());
      assertThat(
              ProcessHandle.of(p.pid())
                  .flatMap(h -> h.info().arguments())
                  .map(List::of)
                  .orElse(List.of()))
          .contains("-XX:MaxRAMPercentage=5", "-XX:+ExitOnOutOfMemoryError");
    } finally {
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(p.exitValue()).isZero();
  }
}
