package dev.tally.verticles.history;

import dev.tally.protocol.promql.Labels;
import java.nio.file.Path;

/**
 * Appends samples of 2 000 series to a {@link HistoryStore} every (simulated) 10 s until it is
 * killed, printing {@code appended T} after each append returns; blocks of 10 minutes, so that
 * kills come in the appends that cut blocks. Series i has value {@code t / 1000 + i} at time t.
 * Started by {@link HistoryCrashTest} as a separate JVM.
 */
public final class HistoryCrashWriter {
  static final int SERIES = 2000;
  static final long STEP = 10_000;
  static final long BLOCK = 600_000;

  private HistoryCrashWriter() {}

  static Labels labels(int i) {
    return Labels.of(Labels.NAME, "crash_total", "i", Integer.toString(i));
  }

  static HistoryOptions options(Path dir) {
    return new HistoryOptions(dir, STEP, Long.MAX_VALUE / 4, Long.MAX_VALUE, BLOCK);
  }

  public static void main(String[] args) throws Exception {
    long from = Long.parseLong(args[1]);
    try (HistoryStore s = HistoryStore.open(options(Path.of(args[0])))) {
      int[] ids = new int[SERIES];
      double[] values = new double[SERIES];
      for (long t = from; ; t += STEP) {
        for (int i = 0; i < SERIES; i++) {
          ids[i] = s.seriesId(labels(i));
          values[i] = t / 1000.0 + i;
        }
        s.append(t, ids, values, SERIES);
        System.out.println("appended " + t);
        System.out.flush();
      }
    }
  }
}
