package dev.tally.verticles.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import dev.tally.verticles.disk.KilledWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history writer in another JVM is killed with SIGKILL three times while it appends 2 000 series
 * every 10 s of its clock (blocks of 10 minutes; each kill comes when the writer has just begun the
 * append that cuts a block): after each kill every append that returned is read back, every series
 * at every time with its value, and the writer goes on after the last one.
 */
class HistoryCrashTest {
  @TempDir Path dir;

  @Test
  void aKilledWriterLosesNoAppendThatReturned() throws Exception {
    long next = HistoryCrashWriter.STEP;
    for (int round = 0; round < 3; round++) {
      long last = KilledWriter.runAndKill(HistoryCrashWriter.class, dir, next, beforeACut(next));
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

  /**
   * The last time before the second block cut after {@code from}: the writer is killed once it has
   * appended it, in the append that cuts the block (or just after it).
   */
  private static long beforeACut(long from) {
    long block = HistoryCrashWriter.BLOCK;
    return (from / block + 2) * block - HistoryCrashWriter.STEP;
  }
}
