package dev.tally.verticles.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs a writer's {@code main} in another JVM and kills it with SIGKILL: the crash tests' judge of
 * a format on disk. The writer prints a line ending in a number after each durable step ({@code
 * synced 40}, {@code appended 1500000}).
 */
public final class KilledWriter {
  private KilledWriter() {}

  /**
   * Starts {@code main} with arguments {@code dir} and {@code from}, and kills it once it printed a
   * number of at least {@code until} (it is then somewhere in its next step).
   *
   * @return the last number it printed
   */
  public static long runAndKill(Class<?> main, Path dir, long from, long until)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                main.getName(),
                dir.toString(),
                Long.toString(from))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long last = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        if (last >= until) {
          p.destroyForcibly(); // SIGKILL
          break;
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL
    return last;
  }
}
