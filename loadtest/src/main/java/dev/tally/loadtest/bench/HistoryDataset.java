package dev.tally.loadtest.bench;

import dev.tally.protocol.promql.Labels;
import dev.tally.verticles.history.HistoryOptions;
import dev.tally.verticles.history.HistoryStore;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The data of the history benchmark, the same for Tally and for Prometheus: {@code series} counters
 * {@code x_total{a="0".."99", b="0"..}} sampled every {@code step} seconds over {@code hours} hours
 * ending at {@code end} (epoch seconds), each growing by a random 0 to 100 per sample (one seed, so
 * both get the same values). Written into a Tally history directory (through the history's own
 * store, as the gateway writes it) or as an OpenMetrics file for {@code promtool tsdb
 * create-blocks-from openmetrics}.
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar dev.tally.loadtest.bench.HistoryDataset \
 *     tally|openmetrics PATH SERIES HOURS STEP END
 * </pre>
 */
public final class HistoryDataset {
  private HistoryDataset() {}

  public static void main(String[] args) throws IOException {
    String mode = args[0];
    Path path = Path.of(args[1]);
    int series = Integer.parseInt(args[2]);
    int hours = Integer.parseInt(args[3]);
    long step = Long.parseLong(args[4]) * 1000;
    long end = Long.parseLong(args[5]) * 1000 / step * step;
    long start = end - hours * 3_600_000L;
    long began = System.nanoTime();
    long samples =
        mode.equals("tally")
            ? tally(path, series, start, end, step)
            : openMetrics(path, series, start, end, step);
    System.out.printf(
        "%s: %,d samples of %,d series in %.1f s%n",
        mode, samples, series, (System.nanoTime() - began) / 1e9);
  }

  private static Labels labels(int i) {
    return Labels.of(
        Labels.NAME, "x_total", "a", Integer.toString(i % 100), "b", Integer.toString(i / 100));
  }

  private static long tally(Path dir, int series, long start, long end, long step)
      throws IOException {
    HistoryOptions o =
        new HistoryOptions(
            dir, step, 30L * 86_400_000, Long.MAX_VALUE, HistoryOptions.BLOCK_MILLIS);
    long samples = 0;
    try (HistoryStore store = HistoryStore.open(o)) {
      int[] ids = new int[series];
      for (int i = 0; i < series; i++) {
        ids[i] = store.seriesId(labels(i));
      }
      double[] values = new double[series];
      SplittableRandom r = new SplittableRandom(24);
      for (long t = start; t <= end; t += step) {
        for (int i = 0; i < series; i++) {
          values[i] += r.nextInt(101);
        }
        store.append(t, ids, values, series);
        samples += series;
      }
      System.out.printf(
          "tally: %,d bytes on disk, %.3f bytes per sample%n",
          store.bytesOnDisk(), store.bytesOnDisk() / (double) samples);
    }
    return samples;
  }

  private static long openMetrics(Path file, int series, long start, long end, long step)
      throws IOException {
    long samples = 0;
    String[] names = new String[series];
    for (int i = 0; i < series; i++) {
      names[i] = "x_total{a=\"" + (i % 100) + "\",b=\"" + (i / 100) + "\"} ";
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("# TYPE x counter\n");
      double[] values = new double[series];
      SplittableRandom r = new SplittableRandom(24);
      for (long t = start; t <= end; t += step) {
        String ts = " " + (t / 1000) + (t % 1000 == 0 ? "" : String.format(".%03d", t % 1000));
        for (int i = 0; i < series; i++) {
          values[i] += r.nextInt(101);
          w.write(names[i]);
          w.write(Long.toString((long) values[i]));
          w.write(ts);
          w.write('\n');
          samples++;
        }
      }
      w.write("# EOF\n");
    }
    return samples;
  }
}
