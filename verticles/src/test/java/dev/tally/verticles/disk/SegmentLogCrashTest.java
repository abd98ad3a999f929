package dev.tally.verticles.disk;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A writer in another JVM is killed with SIGKILL while it appends (records of 20-60 KiB, so the
 * kill usually cuts one), three times over the same log: each time the log opens with every record
 * that was synced before the kill, whole and in order, and the writer goes on after the last whole
 * one.
 */
class SegmentLogCrashTest {
  @TempDir Path dir;

  @Test
  void killedWritersLoseNothingSyncedAndLeaveNoBrokenRecord() throws Exception {
    int next = 0;
    for (int round = 0; round < 3; round++) {
      int synced = runAndKill(next, next + 50);
      try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1L << 30)) {
        List<SegmentLog.Entry> all = log.read(log.acked(), Integer.MAX_VALUE);
        assertThat(all.size()).isGreaterThanOrEqualTo(synced);
        for (int i = 0; i < all.size(); i++) {
          assertThat(all.get(i).payload()).isEqualTo(CrashWriter.record(i));
        }
        assertThat(log.corruptBytes()).isZero();
        next = all.size();
      }
    }
  }

  /** Starts a writer from record {@code from}, kills it once it synced {@code until}. */
  private int runAndKill(int from, int until) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashWriter.class.getName(),
                dir.toString(),
                Integer.toString(from))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    int synced = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        synced = Integer.parseInt(line.substring("synced ".length()));
        if (synced >= until) {
          p.destroyForcibly(); // SIGKILL: the writer is somewhere in its next records
          break;
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137); // 128 + SIGKILL
    return synced;
  }
}
