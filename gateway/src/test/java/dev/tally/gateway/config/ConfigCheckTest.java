package dev.tally.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int check(String... args) {
    return ConfigCheck.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aValidFileExitsZero(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tally.yaml");
    Files.writeString(file, "statsd-port: 9125\ntick: 2s\nmax-series: 5000\n");
    assertThat(check(file.toString())).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains(file + ": a valid configuration");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aBadFileExitsTwoNamingEveryProblem(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tally.yaml");
    Files.writeString(file, "statsd-port: 70000\ntick: soon\nno-such-key: 1\n");
    assertThat(check(file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            file + ": not a valid configuration:",
            "statsd-port: '70000'",
            "tick: 'soon'",
            "no-such-key: unknown key in " + file);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMissingFileOrNoneExitsTwo(@TempDir Path dir) {
    assertThat(check(dir.resolve("absent.yaml").toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("absent.yaml: no such file");
    assertThat(check()).isEqualTo(2);
    assertThat(check("a.yaml", "b.yaml")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("usage: java -jar tally.jar check-config FILE");
  }
}
