package dev.tally.verticles.disk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A queue of records on disk, as Prometheus' write-ahead log keeps them: a directory of numbered
 * segment files ({@code 00000000000000000001.seg}, ...) written one after the other, each record
 * with its length and a CRC-32C, and a small {@code acked} file that holds the position up to which
 * the records were sent and acknowledged.
 *
 * <p>Record: length of what follows the checksum (u32), CRC-32C of it (u32), append time (epoch ms,
 * u64), type (u8), items (u32: samples, spans or log records), payload. Big-endian.
 *
 * <p>Durability: {@link #append} writes each record with one {@code write} call, so a process
 * killed at any instant (SIGKILL) leaves every appended record whole in the page cache, or the last
 * one cut; {@link #sync} forces the active segment to the disk (the caller does so once per export
 * interval), so a machine that stops loses at most the records since. A segment is forced before
 * the next one is started. {@link #open} reads the last segment and truncates it at its first
 * record that is cut or fails its checksum; a bad record found later while reading an older segment
 * ends that segment (its rest is counted as corrupt). The acked position is written in place after
 * every acknowledgement (20 bytes with a checksum) and forced with the segment; if it cannot be
 * read, sending starts at the oldest record (the receiver gets some twice).
 *
 * <p>Bounded: past {@code maxBytes} on disk the oldest segments are deleted, sent or not, and what
 * they held unsent is counted ({@link #takeDropped}). Not thread-safe: one owner (the target's
 * exporter) appends, reads and acknowledges; one writer per file.
 */
public final class SegmentLog implements Closeable {
  /** Bytes before a record's payload. */
  public static final int HEADER = 4 + 4 + 8 + 1 + 4;

  private static final String SUFFIX = ".seg";
  private static final String ACKED = "acked";

  private final Path dir;
  private final long segmentBytes;
  private final long maxBytes;
  private final TreeMap<Long, Long> segments = new TreeMap<>(); // id -> size in bytes
  private final FileChannel ackedFile;
  private final ByteBuffer ackedBuffer = ByteBuffer.allocate(20);
  private FileChannel active;
  private long activeId;
  private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private Position acked;
  private long droppedItems;
  private long corruptBytes;
  private long truncatedBytes;

  /** A place in the log: a segment and a byte offset in it. Ordered. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment
          ? Long.compare(segment, o.segment)
          : Long.compare(offset, o.offset);
    }
  }

  /** A record read: what was appended, and the position after it. */
  public record Entry(int type, int items, long appendMillis, byte[] payload, Position next) {}

  private SegmentLog(Path dir, long segmentBytes, long maxBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    this.ackedFile = openWritable(dir.resolve(ACKED));
  }

  /**
   * Opens the log in {@code dir}, made if missing, and recovers it (see the class comment).
   *
   * @param segmentBytes size after which a new segment is started
   * @param maxBytes bytes on disk beyond which the oldest segments are deleted
   */
  public static SegmentLog open(Path dir, long segmentBytes, long maxBytes) throws IOException {
    SegmentLog log = new SegmentLog(dir, segmentBytes, maxBytes);
    try {
      log.recover();
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  private void recover() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String f = p.getFileName().toString();
        if (f.endsWith(SUFFIX)) {
          try {
            long id = Long.parseLong(f.substring(0, f.length() - SUFFIX.length()));
            segments.put(id, Files.size(p));
          } catch (NumberFormatException e) {
            // not ours
          }
        }
      }
    }
    if (segments.isEmpty()) {
      segments.put(1L, 0L);
    }
    activeId = segments.lastKey();
    active = openWritable(segment(activeId));
    long valid = validLength(active);
    truncatedBytes = active.size() - valid;
    if (truncatedBytes > 0) {
      active.truncate(valid);
      active.force(true);
    }
    segments.put(activeId, valid);
    active.position(valid);
    acked = readAcked();
  }

  /** Length of the leading whole and intact records of a segment. */
  private static long validLength(FileChannel ch) throws IOException {
    long size = ch.size();
    long at = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    for (Entry e = record(ch, header, 0, at, size);
        e != null;
        e = record(ch, header, 0, at, size)) {
      at = e.next().offset();
    }
    return at;
  }

  /**
   * The record at {@code at} of segment {@code segment}, read through {@code header}; null if it is
   * cut short by {@code size} or fails its checksum.
   */
  private static Entry record(FileChannel ch, ByteBuffer header, long segment, long at, long size)
      throws IOException {
    if (at + HEADER > size) {
      return null;
    }
    header.clear();
    readFully(ch, header, at);
    int length = header.getInt(0);
    if (length < HEADER - 8 || at + 8 + length > size) {
      return null;
    }
    ByteBuffer payload = ByteBuffer.allocate(length - (HEADER - 8));
    readFully(ch, payload, at + HEADER);
    CRC32C crc = new CRC32C();
    crc.update(header.array(), 8, HEADER - 8);
    crc.update(payload.array(), 0, payload.limit());
    if ((int) crc.getValue() != header.getInt(4)) {
      return null;
    }
    return new Entry(
        header.get(16),
        header.getInt(17),
        header.getLong(8),
        payload.array(),
        new Position(segment, at + 8 + length));
  }

  private Position readAcked() throws IOException {
    Position start = new Position(segments.firstKey(), 0);
    if (ackedFile.size() < ackedBuffer.capacity()) {
      return start;
    }
    ackedBuffer.clear();
    readFully(ackedFile, ackedBuffer, 0);
    long seg = ackedBuffer.getLong(0);
    long off = ackedBuffer.getLong(8);
    CRC32C crc = new CRC32C();
    crc.update(ackedBuffer.array(), 0, 16);
    if ((int) crc.getValue() != ackedBuffer.getInt(16)) {
      return start;
    }
    Position p = new Position(seg, off);
    if (p.compareTo(start) < 0) {
      return start;
    }
    Long size = segments.get(seg);
    if (size == null || off > size) {
      return new Position(activeId, segments.get(activeId)); // past what survived: nothing unsent
    }
    return p;
  }

  private static FileChannel openWritable(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private Path segment(long id) {
    return dir.resolve(String.format("%020d%s", id, SUFFIX));
  }

  /**
   * Appends a record.
   *
   * @return the position after it
   */
  public Position append(int type, int items, long appendMillis, byte[] payload, int off, int len)
      throws IOException {
    long size = segments.get(activeId);
    if (size > 0 && size + HEADER + len > segmentBytes) {
      roll();
      size = 0;
    }
    int total = HEADER + len;
    if (writeBuffer.capacity() < total) {
      writeBuffer = ByteBuffer.allocateDirect(Math.max(total, writeBuffer.capacity() * 2));
    }
    ByteBuffer b = writeBuffer.clear().order(ByteOrder.BIG_ENDIAN);
    b.putInt(total - 8).putInt(0).putLong(appendMillis).put((byte) type).putInt(items);
    b.put(payload, off, len);
    b.flip();
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(8));
    b.putInt(4, (int) crc.getValue());
    while (b.hasRemaining()) {
      active.write(b);
    }
    size += total;
    segments.put(activeId, size);
    dropOverflow();
    return new Position(activeId, size);
  }

  /**
   * Ends the active segment (forced) and starts the next one, unless the active one is empty: what
   * is then acknowledged up to the new segment can be deleted whole.
   */
  public void startSegment() throws IOException {
    if (segments.get(activeId) > 0) {
      roll();
    }
  }

  private void roll() throws IOException {
    active.force(false);
    active.close();
    activeId++;
    active = openWritable(segment(activeId));
    segments.put(activeId, 0L);
  }

  /** Deletes the oldest segments (never the active one) while the log is over its bound. */
  private void dropOverflow() throws IOException {
    while (bytesOnDisk() > maxBytes && segments.size() > 1) {
      long oldest = segments.firstKey();
      if (acked.segment() <= oldest) {
        long from = acked.segment() == oldest ? acked.offset() : 0;
        countUnsent(oldest, from);
        acked = new Position(oldest + 1, 0);
        writeAcked();
      }
      segments.remove(oldest);
      Files.deleteIfExists(segment(oldest));
    }
  }

  private void countUnsent(long id, long from) throws IOException {
    try (FileChannel ch = FileChannel.open(segment(id), StandardOpenOption.READ)) {
      long size = segments.get(id);
      ByteBuffer header = ByteBuffer.allocate(HEADER);
      for (long at = from; at + HEADER <= size; ) {
        header.clear();
        readFully(ch, header, at);
        droppedItems += header.getInt(17);
        at += 8 + header.getInt(0);
      }
    }
  }

  /**
   * Reads the records from {@code from} on, as long as they are of the first one's type, their
   * items together stay within {@code maxItems} (at least one record is read) and the end of the
   * log is not reached.
   */
  public List<Entry> read(Position from, int maxItems) throws IOException {
    List<Entry> out = new ArrayList<>();
    Position at = from.compareTo(acked) < 0 ? acked : from;
    int items = 0;
    while (true) {
      Long size = segments.get(at.segment());
      if (size == null || at.offset() >= size) { // deleted, or read to its end: the next one
        Long next = segments.higherKey(at.segment());
        if (next == null) {
          return out;
        }
        at = new Position(next, 0);
        continue;
      }
      FileChannel ch = at.segment() == activeId ? active : FileChannel.open(segment(at.segment()));
      try {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (at.offset() < size) {
          if (!out.isEmpty() && at.offset() + HEADER <= size) { // its header says if it fits
            header.clear();
            readFully(ch, header, at.offset());
            if (items + header.getInt(17) > maxItems || header.get(16) != out.get(0).type()) {
              return out;
            }
          }
          Entry e = record(ch, header, at.segment(), at.offset(), size);
          if (e == null) { // cut or damaged: the rest of this segment cannot be trusted
            corruptBytes += size - at.offset();
            at = new Position(at.segment(), size);
            break;
          }
          at = e.next();
          items += e.items();
          out.add(e);
          if (items >= maxItems) {
            return out;
          }
        }
      } finally {
        if (ch != active) {
          ch.close();
        }
      }
    }
  }

  /**
   * Marks everything before {@code upTo} sent; writes the position (forced at the next {@link
   * #sync}) and deletes the segments wholly before it.
   */
  public void ack(Position upTo) throws IOException {
    if (upTo.compareTo(acked) <= 0) {
      return;
    }
    acked = upTo;
    writeAcked();
    while (segments.size() > 1 && segments.firstKey() < acked.segment()) {
      long oldest = segments.pollFirstEntry().getKey();
      Files.deleteIfExists(segment(oldest));
    }
  }

  private void writeAcked() throws IOException {
    ackedBuffer.clear();
    ackedBuffer.putLong(0, acked.segment()).putLong(8, acked.offset());
    CRC32C crc = new CRC32C();
    crc.update(ackedBuffer.array(), 0, 16);
    ackedBuffer.putInt(16, (int) crc.getValue());
    ackedBuffer.position(0).limit(20);
    while (ackedBuffer.hasRemaining()) {
      ackedFile.write(ackedBuffer, ackedBuffer.position());
    }
  }

  /** Forces the active segment and the acked position to the disk. */
  public void sync() throws IOException {
    active.force(false);
    ackedFile.force(false);
  }

  /** The position up to which records were acknowledged: where sending starts. */
  public Position acked() {
    return acked;
  }

  /** The position after the last record. */
  public Position end() {
    return new Position(activeId, segments.get(activeId));
  }

  /** True if every record was acknowledged. */
  public boolean drained() {
    return acked.compareTo(end()) >= 0;
  }

  /** Append time of the oldest unsent record (epoch ms); 0 if every record was sent. */
  public long oldestUnsentMillis() throws IOException {
    if (drained()) {
      return 0;
    }
    Position at = acked;
    if (at.offset() >= segments.get(at.segment())) { // the end of a segment: the next one's start
      Long next = segments.higherKey(at.segment());
      if (next == null) {
        return 0;
      }
      at = new Position(next, 0);
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    FileChannel ch = at.segment() == activeId ? active : FileChannel.open(segment(at.segment()));
    try {
      readFully(ch, header, at.offset());
    } finally {
      if (ch != active) {
        ch.close();
      }
    }
    return header.getLong(8); // the header alone: the gauge reads it after every request
  }

  /** Bytes of every segment on disk. */
  public long bytesOnDisk() {
    long sum = 0;
    for (long s : segments.values()) {
      sum += s;
    }
    return sum;
  }

  /** Bytes from the acked position to the end. */
  public long unsentBytes() {
    long sum = 0;
    for (var e : segments.tailMap(acked.segment(), true).entrySet()) {
      sum += e.getValue() - (e.getKey() == acked.segment() ? acked.offset() : 0);
    }
    return Math.max(0, sum);
  }

  /** Bytes cut off the end of the last segment when the log was opened. */
  public long truncatedBytes() {
    return truncatedBytes;
  }

  /** Bytes skipped since the log was opened because a record failed its checksum. */
  public long corruptBytes() {
    return corruptBytes;
  }

  /** Items deleted unsent to keep the log within its bound since the last call; resets it. */
  public long takeDropped() {
    long out = droppedItems;
    droppedItems = 0;
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      if (active != null) {
        active.force(false);
        active.close();
      }
    } finally {
      ackedFile.force(false);
      ackedFile.close();
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of segment at " + pos);
      }
      pos += n;
    }
    b.flip();
  }
}
