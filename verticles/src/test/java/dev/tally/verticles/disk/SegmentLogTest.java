package dev.tally.verticles.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {
  @TempDir Path dir;

  static byte[] payload(int i) {
    return ("record " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
  }

  static List<String> texts(List<SegmentLog.Entry> entries) {
    List<String> out = new ArrayList<>();
    for (SegmentLog.Entry e : entries) {
      out.add(new String(e.payload(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static SegmentLog.Position append(SegmentLog log, int i) throws IOException {
    byte[] p = payload(i);
    return log.append(1, 1, 1000 + i, p, 0, p.length);
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
  }

  @Test
  void recordsComeBackInOrderAcrossSegmentsAndAReopen() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, 200, 1 << 20)) {
      for (int i = 0; i < 30; i++) {
        append(log, i);
      }
      List<SegmentLog.Entry> first = log.read(log.acked(), 10);
      assertThat(first).hasSize(10);
      assertThat(first.get(0).type()).isEqualTo(1);
      assertThat(first.get(0).appendMillis()).isEqualTo(1000);
      assertThat(new String(first.get(9).payload(), StandardCharsets.UTF_8))
          .isEqualTo(new String(payload(9), StandardCharsets.UTF_8));
      log.ack(first.get(9).next());
      assertThat(log.oldestUnsentMillis()).isEqualTo(1010);
    }
    assertThat(segments().size()).isGreaterThan(1);
    try (SegmentLog log = SegmentLog.open(dir, 200, 1 << 20)) {
      List<SegmentLog.Entry> rest = log.read(log.acked(), 1000);
      assertThat(rest).hasSize(20);
      assertThat(new String(rest.get(0).payload(), StandardCharsets.UTF_8))
          .startsWith("record 10 ");
      log.ack(rest.get(19).next());
      assertThat(log.drained()).isTrue();
      assertThat(log.unsentBytes()).isZero();
      assertThat(log.oldestUnsentMillis()).isZero();
      assertThat(segments()).hasSize(1); // acknowledged segments are deleted
    }
  }

  @Test
  void aCutLastRecordIsTruncatedAndTheOthersKept() throws IOException {
    SegmentLog.Position afterTwo;
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      append(log, 0);
      afterTwo = append(log, 1);
      append(log, 2);
    }
    Path seg = segments().get(0);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(f.length() - 3);
    }
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      assertThat(log.truncatedBytes()).isEqualTo(SegmentLog.HEADER + payload(2).length - 3);
      assertThat(log.end()).isEqualTo(afterTwo);
      assertThat(texts(log.read(log.acked(), 100))).hasSize(2);
      append(log, 3); // appends go on after the cut
      assertThat(texts(log.read(log.acked(), 100)).get(2)).startsWith("record 3 ");
    }
  }

  @Test
  void aFlippedByteEndsTheLogAtThatRecord() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        append(log, i);
      }
    }
    Path seg = segments().get(0);
    long third = 2L * SegmentLog.HEADER + payload(0).length + payload(1).length;
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.seek(third + SegmentLog.HEADER + 2);
      int b = f.read();
      f.seek(third + SegmentLog.HEADER + 2);
      f.write(b ^ 0x40);
    }
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      assertThat(texts(log.read(log.acked(), 100)))
          .containsExactly(
              new String(payload(0), StandardCharsets.UTF_8),
              new String(payload(1), StandardCharsets.UTF_8));
      assertThat(log.truncatedBytes()).isGreaterThan(0);
    }
  }

  @Test
  void overItsBoundTheOldestSegmentsGoAndTheirUnsentItemsAreCounted() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, 300, 1000)) {
      int appended = 0;
      for (int i = 0; i < 100; i++) {
        byte[] p = payload(i);
        log.append(2, 5, i, p, 0, p.length);
        appended++;
      }
      assertThat(log.bytesOnDisk()).isLessThanOrEqualTo(1000 + 300);
      long dropped = log.takeDropped(); // items: 5 a record
      List<SegmentLog.Entry> left = log.read(log.acked(), Integer.MAX_VALUE);
      assertThat(dropped).isPositive();
      assertThat(dropped / 5 + left.size()).isEqualTo(appended);
      assertThat(new String(left.get(left.size() - 1).payload(), StandardCharsets.UTF_8))
          .startsWith("record 99 ");
      assertThat(log.takeDropped()).isZero();
    }
  }

  @Test
  void aDamagedAckedFileSendsEverythingAgain() throws IOException {
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      append(log, 0);
      log.ack(append(log, 1));
    }
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("acked").toFile(), "rw")) {
      f.seek(3);
      f.write(0x55);
    }
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1 << 20)) {
      assertThat(log.read(log.acked(), 100)).hasSize(2);
    }
  }
}
