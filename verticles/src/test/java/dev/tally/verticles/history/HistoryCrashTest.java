package dev.tally.verticles.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history writer in another JVM is killed with SIGKILL three times while it appends 2 000 series
 * every 10 s of its clock (blocks of 10 minutes, so some kills land in a block cut): after each
 * kill every append that returned is read back, every series at every time with its value, and the
 * writer goes on after the last one.
 */
class HistoryCrashTest {
  @TempDir Path dir;

  @Test
  void aKilledWriterLosesNoAppendThatReturned() throws Exception {
    long next = HistoryCrashWriter.STEP;
    for (int round = 0; round < 3; round++) {
      long last = runAndKill(next, next + 150 * HistoryCrashWriter.STEP);
      try (HistoryStore s = HistoryStore.open(HistoryCrashWriter.options(dir))) {
        HistoryStore.Reader r = s.reader();
        int[] ids = r.select(List.of(Matcher.of(Labels.NAME, Matcher.Op.EQ, "crash_total")));
        assertThat(ids).hasSize(HistoryCrashWriter.SERIES);
        long newest = r.newest();
        assertThat(newest).isGreaterThanOrEqualTo(last);
        Samples got = new Samples();
        for (int id : ids) {
          int i = Integer.parseInt(r.labels(id).get("i"));
          r.read(id, 0, Long.MAX_VALUE, got);
          assertThat(got.size()).isEqualTo((int) (newest / HistoryCrashWriter.STEP));
          for (int k = 0; k < got.size(); k++) {
            long t = (k + 1) * HistoryCrashWriter.STEP;
            assertThat(got.time(k)).isEqualTo(t);
            assertThat(got.value(k)).isEqualTo(t / 1000.0 + i);
          }
        }
        next = newest + HistoryCrashWriter.STEP;
      }
    }
  }

  /** Starts a writer at time {@code from}, kills it once it appended {@code until}. */
  private long runAndKill(long from, long until) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HistoryCrashWriter.class.getName(),
                dir.toString(),
                Long.toString(from))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long last = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        last = Long.parseLong(line.substring("appended ".length()));
        if (last >= until) {
          p.destroyForcibly(); // SIGKILL: the writer is somewhere in its next append
          break;
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    return last;
  }
}
