package dev.tally.verticles.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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
      int synced = (int) KilledWriter.runAndKill(CrashWriter.class, dir, next, next + 50);
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
}
