package dev.tally.verticles.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The samples of one time window ({@code [mint, maxt)}), immutable, in one file: every series'
 * {@link XorChunk} one after the other, then a table sorted by series id (id, samples, offset,
 * length, CRC-32C of the chunk: 24 bytes each), then a footer (window, sample count, table offset,
 * entries, CRC-32C of the table and of the footer). Written whole to a temporary file, forced, then
 * moved over its name atomically, so a block on disk is whole or absent. Read through a mapping of
 * the file: a block that is deleted while a query reads it stays readable until the mapping goes.
 */
final class Block {
  static final String SUFFIX = ".block";
  private static final int ENTRY = 24;
  private static final int FOOTER = 8 + 8 + 8 + 8 + 4 + 4 + 4;
  private static final long MAGIC = 0x54414c4c59424c31L; // "TALLYBL1"

  private final Path file;
  private final long mint;
  private final long maxt;
  private final long bytes;
  private final MappedByteBuffer map;
  private final int entries;
  private final int table;

  private Block(Path file, long mint, long maxt, MappedByteBuffer map, int entries, int table) {
    this.file = file;
    this.mint = mint;
    this.maxt = maxt;
    this.bytes = map.capacity();
    this.map = map;
    this.entries = entries;
    this.table = table;
  }

  /** A chunk to write: a series and its samples. */
  record Chunk(int id, int count, byte[] bytes) {}

  /** The name of the block of window {@code [mint, maxt)}. */
  static Path fileOf(Path dir, long mint, long maxt) {
    return dir.resolve(String.format("%015d-%015d%s", mint, maxt, SUFFIX));
  }

  /**
   * Writes a block of {@code chunks}, in ascending id order, and opens it.
   *
   * @throws IOException if it cannot be written; nothing is left under its name then
   */
  static Block write(Path dir, long mint, long maxt, Iterable<Chunk> chunks) throws IOException {
    Path file = fileOf(dir, mint, maxt);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer head = ByteBuffer.allocate(8).putLong(0, MAGIC);
      writeFully(ch, head);
      ByteBuffer tableBuf = ByteBuffer.allocate(64 * ENTRY);
      long offset = 8;
      long samples = 0;
      int n = 0;
      int lastId = -1;
      CRC32C crc = new CRC32C();
      for (Chunk c : chunks) {
        if (c.id() <= lastId) {
          throw new IllegalArgumentException("chunks out of order at id " + c.id());
        }
        lastId = c.id();
        crc.reset();
        crc.update(c.bytes());
        writeFully(ch, ByteBuffer.wrap(c.bytes()));
        if (tableBuf.remaining() < ENTRY) {
          tableBuf = ByteBuffer.allocate(tableBuf.capacity() * 2).put(tableBuf.flip());
        }
        tableBuf.putInt(c.id()).putInt(c.count()).putLong(offset);
        tableBuf.putInt(c.bytes().length).putInt((int) crc.getValue());
        offset += c.bytes().length;
        samples += c.count();
        n++;
      }
      tableBuf.flip();
      crc.reset();
      crc.update(tableBuf.duplicate());
      int tableCrc = (int) crc.getValue();
      long tableAt = offset;
      writeFully(ch, tableBuf);
      ByteBuffer footer = ByteBuffer.allocate(FOOTER);
      footer.putLong(mint).putLong(maxt).putLong(samples).putLong(tableAt).putInt(n);
      footer.putInt(tableCrc);
      crc.reset();
      crc.update(footer.array(), 0, FOOTER - 4);
      footer.putInt((int) crc.getValue()).flip();
      writeFully(ch, footer);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
    return open(file);
  }

  /**
   * Opens a block file.
   *
   * @throws IOException if it cannot be read or its footer or table fail their checksums
   */
  static Block open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE || size < 8 + FOOTER) {
        throw new IOException("block " + file.getFileName() + " has a bad size: " + size);
      }
      MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      map.order(ByteOrder.BIG_ENDIAN);
      if (map.getLong(0) != MAGIC) {
        throw new IOException("not a block: " + file.getFileName());
      }
      int f = (int) size - FOOTER;
      CRC32C crc = new CRC32C();
      crc.update(map.duplicate().position(f).limit(f + FOOTER - 4));
      if ((int) crc.getValue() != map.getInt(f + FOOTER - 4)) {
        throw new IOException("block " + file.getFileName() + ": footer checksum mismatch");
      }
      long mint = map.getLong(f);
      long maxt = map.getLong(f + 8);
      long tableAt = map.getLong(f + 24);
      int n = map.getInt(f + 32);
      if (tableAt < 8 || tableAt + (long) n * ENTRY != f) {
        throw new IOException("block " + file.getFileName() + ": bad table position");
      }
      crc.reset();
      crc.update(map.duplicate().position((int) tableAt).limit(f));
      if ((int) crc.getValue() != map.getInt(f + 36)) {
        throw new IOException("block " + file.getFileName() + ": table checksum mismatch");
      }
      return new Block(file, mint, maxt, map, n, (int) tableAt);
    }
  }

  /**
   * The samples of series {@code id}; null if the block has none of it.
   *
   * @throws IOException if its chunk fails its checksum
   */
  XorChunk.View chunk(int id) throws IOException {
    int at = entry(id);
    if (at < 0) {
      return null;
    }
    int count = map.getInt(at + 4);
    int offset = (int) map.getLong(at + 8);
    int length = map.getInt(at + 16);
    byte[] b = new byte[length];
    map.get(offset, b);
    CRC32C crc = new CRC32C();
    crc.update(b);
    if ((int) crc.getValue() != map.getInt(at + 20)) {
      throw new IOException("block " + file.getFileName() + ": series " + id + " corrupt");
    }
    return new XorChunk.View(b, length * 8, count, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** True if the block holds samples of series {@code id}. */
  boolean has(int id) {
    return entry(id) >= 0;
  }

  /** Where the table's entry of series {@code id} is (binary search); -1 if it has none. */
  private int entry(int id) {
    int lo = 0;
    int hi = entries - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int at = table + mid * ENTRY;
      int c = Integer.compare(map.getInt(at), id);
      if (c == 0) {
        return at;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  long mint() {
    return mint;
  }

  long maxt() {
    return maxt;
  }

  long bytes() {
    return bytes;
  }

  Path file() {
    return file;
  }

  private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  /** Forces a directory's entries (a rename) to the disk, where the platform allows it. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every platform opens directories; the rename itself stays atomic
    }
  }
}
