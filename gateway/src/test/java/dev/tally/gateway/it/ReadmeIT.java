package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.GatewayProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's command blocks that show their output (a {@code bash} or {@code sh} block followed
 * by a plain one) are run with bash against a packaged gateway, its ports put in place of the
 * defaults, and must print every line shown: "Try it" cannot rot.
 */
class ReadmeIT {
  private static final Pattern COMMANDS_THEN_OUTPUT =
      Pattern.compile(
          "```(?:bash|sh)\\n((?:(?!```).)*)```\\n\\n```\\n((?:(?!```).)*)```", Pattern.DOTALL);

  @Test
  void everyBlockThatShowsItsOutputPrintsIt() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    Matcher m = COMMANDS_THEN_OUTPUT.matcher(readme);
    List<String[]> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(new String[] {m.group(1), m.group(2)});
    }
    assertThat(blocks).as("README blocks with their output").hasSizeGreaterThanOrEqualTo(2);
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      for (String[] block : blocks) {
        String script =
            block[0]
                .replace("127.0.0.1/8125", "127.0.0.1/" + g.statsdPort())
                .replace("localhost:8080", "localhost:" + g.httpPort())
                .replace("localhost:4318", "localhost:" + g.otlpHttpPort())
                .replace("localhost:4317", "localhost:" + g.otlpGrpcPort());
        assertThat(script).as("a block that shows its output runs no build").doesNotContain("mvn");
        Process bash =
            new ProcessBuilder("timeout", "60", "bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (String line : block[1].split("\n")) {
          if (!line.isBlank() && !line.equals("...")) {
            assertThat(out.lines()).as("output of:\n" + script).contains(line);
          }
        }
      }
    }
  }
}
