package dev.tally.verticles.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  private static final long STEP = 10_000;
  private static final long HOUR = 3_600_000;

  @TempDir Path dir;

  private HistoryStore open(long retention, long maxBytes) throws IOException {
    return HistoryStore.open(new HistoryOptions(dir, STEP, retention, maxBytes, HOUR));
  }

  private static void append(HistoryStore s, long t, Labels l, double v) throws IOException {
    s.append(t, new int[] {s.seriesId(l)}, new double[] {v}, 1);
  }

  private static List<double[]> read(HistoryStore s, Labels l, long mint, long maxt)
      throws IOException {
    HistoryStore.Reader r = s.reader();
    int[] ids = r.select(List.of(Matcher.of(Labels.NAME, Matcher.Op.EQ, l.metricName())));
    List<double[]> out = new ArrayList<>();
    for (int id : ids) {
      if (r.labels(id).equals(l)) {
        Samples got = r.read(id, mint, maxt, new Samples());
        for (int i = 0; i < got.size(); i++) {
          out.add(new double[] {got.time(i), got.value(i)});
        }
      }
    }
    return out;
  }

  @Test
  void samplesAcrossBlocksAndTheHeadSurviveARestart() throws IOException {
    Labels a = Labels.of(Labels.NAME, "requests_total", "route", "/a");
    Labels b = Labels.of(Labels.NAME, "requests_total", "route", "/b");
    long start = 10 * HOUR;
    int steps = (int) (2.5 * HOUR / STEP); // two blocks and half an hour of head
    try (HistoryStore s = open(30 * 24 * HOUR, Long.MAX_VALUE)) {
      for (int i = 0; i < steps; i++) {
        int ia = s.seriesId(a);
        int ib = s.seriesId(b);
        s.append(start + i * STEP, new int[] {ia, ib}, new double[] {i, 2.0 * i}, 2);
      }
      assertThat(s.counts().blocks()).isEqualTo(2);
      assertThat(read(s, a, 0, Long.MAX_VALUE)).hasSize(steps);
      // the log holds the current hour only: each hour in segments of its own, gone once in a block
      try (Stream<Path> wal = Files.list(dir.resolve("wal"))) {
        assertThat(wal.filter(p -> p.toString().endsWith(".seg")).count()).isEqualTo(1);
      }
    }
    try (HistoryStore s = open(30 * 24 * HOUR, Long.MAX_VALUE)) {
      List<double[]> got = read(s, b, 0, Long.MAX_VALUE);
      assertThat(got).hasSize(steps);
      for (int i = 0; i < steps; i++) {
        assertThat(got.get(i)).containsExactly(start + i * STEP, 2.0 * i);
      }
      assertThat(read(s, a, start + STEP, start + 3 * STEP)).hasSize(3);
      // the writer goes on where it stopped
      append(s, start + steps * STEP, a, -1);
      assertThat(read(s, a, 0, Long.MAX_VALUE)).hasSize(steps + 1);
    }
  }

  @Test
  void aSeriesThatStopsGetsOneStaleMarker() throws IOException {
    Labels a = Labels.of(Labels.NAME, "up_like");
    Labels b = Labels.of(Labels.NAME, "other");
    try (HistoryStore s = open(HOUR * 24, Long.MAX_VALUE)) {
      append(s, STEP, a, 1);
      append(s, 2 * STEP, b, 1);
      append(s, 3 * STEP, b, 1);
      List<double[]> got = read(s, a, 0, Long.MAX_VALUE);
      assertThat(got).hasSize(2);
      assertThat(Double.doubleToRawLongBits(got.get(1)[1]))
          .isEqualTo(Double.doubleToRawLongBits(HistoryStore.STALE_NAN));
      assertThat(got.get(1)[0]).isEqualTo(2 * STEP);
    }
  }

  @Test
  void eachSourceIsStaleOnItsOwn() throws IOException {
    Labels tick = Labels.of(Labels.NAME, "from_ticks");
    Labels recorded = Labels.of(Labels.NAME, "job:rate:sum");
    try (HistoryStore s = open(HOUR * 24, Long.MAX_VALUE)) {
      int a = s.seriesId(tick);
      int b = s.seriesId(recorded);
      s.append(0, STEP, new int[] {a}, new double[] {1}, 1);
      s.append(1, STEP, new int[] {b}, new double[] {5}, 1); // a rule group, same time
      s.append(0, 2 * STEP, new int[] {a}, new double[] {2}, 1);
      s.append(0, 3 * STEP, new int[] {a}, new double[] {3}, 1);
      assertThat(read(s, recorded, 0, Long.MAX_VALUE)).hasSize(1); // no stale marker from ticks
      s.append(1, 4 * STEP, new int[0], new double[0], 0); // the group's result is empty now
      List<double[]> got = read(s, recorded, 0, Long.MAX_VALUE);
      assertThat(got).hasSize(2);
      assertThat(Double.doubleToRawLongBits(got.get(1)[1]))
          .isEqualTo(Double.doubleToRawLongBits(HistoryStore.STALE_NAN));
      assertThat(s.append(1, 4 * STEP, new int[] {b}, new double[] {1}, 1)).isFalse();
    }
  }

  @Test
  void retentionAndTheByteBoundDropTheOldestBlocks() throws IOException {
    Labels a = Labels.of(Labels.NAME, "g");
    try (HistoryStore s = open(3 * HOUR, Long.MAX_VALUE)) {
      for (long t = 0; t < 6 * HOUR; t += STEP) {
        append(s, t, a, t);
      }
      assertThat(s.counts().blocksDroppedRetention()).isEqualTo(2); // [0,1h) and [1h,2h)
      assertThat(read(s, a, 0, Long.MAX_VALUE).get(0)[0]).isEqualTo(2 * HOUR);
    }
    long bound;
    try (HistoryStore s = open(Long.MAX_VALUE / 4, Long.MAX_VALUE)) {
      bound = s.bytesOnDisk() - 1; // one byte too few for every block
    }
    try (HistoryStore s = open(Long.MAX_VALUE / 4, bound)) {
      append(s, 6 * HOUR - STEP + 1, a, 1); // the same hour: its log grows, no block is cut
      assertThat(s.counts().blocksDroppedBytes()).isEqualTo(1);
      assertThat(s.bytesOnDisk()).isLessThanOrEqualTo(bound);
      assertThat(read(s, a, 0, Long.MAX_VALUE).get(0)[0]).isEqualTo(3 * HOUR);
    }
  }

  @Test
  void aDamagedBlockIsSetAsideAndTheRestIsRead() throws IOException {
    Labels a = Labels.of(Labels.NAME, "g");
    try (HistoryStore s = open(HOUR * 24 * 30, Long.MAX_VALUE)) {
      for (long t = 0; t < 2 * HOUR + STEP; t += STEP) {
        append(s, t, a, t);
      }
    }
    Path first;
    try (Stream<Path> files = Files.list(dir.resolve("blocks"))) {
      first = files.sorted().findFirst().orElseThrow();
    }
    try (var ch = Files.newByteChannel(first, StandardOpenOption.WRITE)) {
      ch.position(Files.size(first) - 10).write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    try (HistoryStore s = open(HOUR * 24 * 30, Long.MAX_VALUE)) {
      assertThat(s.counts().corruptBlocks()).isEqualTo(1);
      List<double[]> got = read(s, a, 0, Long.MAX_VALUE);
      assertThat(got.get(0)[0]).isEqualTo(HOUR);
      assertThat(got).hasSize((int) ((HOUR + STEP) / STEP));
    }
    assertThat(Files.exists(first.resolveSibling(first.getFileName() + ".bad"))).isTrue();
  }

  @Test
  void oneWriterPerDirectory() throws IOException {
    try (HistoryStore s = open(HOUR, Long.MAX_VALUE)) {
      assertThatThrownBy(() -> open(HOUR, Long.MAX_VALUE))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another Tally");
    }
    open(HOUR, Long.MAX_VALUE).close(); // free again
  }

  @Test
  void selectorsFindSeriesByAnyMatcher() throws IOException {
    try (HistoryStore s = open(HOUR, Long.MAX_VALUE)) {
      int x = s.seriesId(Labels.of(Labels.NAME, "x", "code", "200"));
      int y = s.seriesId(Labels.of(Labels.NAME, "x", "code", "500"));
      int z = s.seriesId(Labels.of(Labels.NAME, "z", "code", "500"));
      s.append(STEP, new int[] {x, y, z}, new double[] {1, 2, 3}, 3);
      HistoryStore.Reader r = s.reader();
      assertThat(r.select(List.of(Matcher.of("code", Matcher.Op.RE, "5..")))).containsExactly(y, z);
      assertThat(
              r.select(
                  List.of(
                      Matcher.of(Labels.NAME, Matcher.Op.EQ, "x"),
                      Matcher.of("code", Matcher.Op.NE, "500"))))
          .containsExactly(x);
      assertThat(r.select(List.of(Matcher.of(Labels.NAME, Matcher.Op.EQ, "none")))).isEmpty();
      assertThat(r.hasData(z, 0, STEP)).isTrue();
      assertThat(r.hasData(z, 2 * STEP, 3 * STEP)).isFalse();
    }
  }
}
