package dev.tally.verticles.history;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import dev.tally.verticles.disk.SegmentLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Every series' samples on disk, as a time-series database keeps them: the current window (the
 * head: one {@link XorChunk} per series in memory, each sample also written to a write-ahead log)
 * and immutable {@link Block}s of the windows before. Series get ids in a {@link Catalog}, itself
 * logged. A series that stops getting samples gets a stale marker at the next append, as Prometheus
 * marks a vanished series.
 *
 * <p>Durability: each append is written to the logs with one {@code write} per record and forced
 * (fsync) before it returns, the series log before the samples log; a SIGKILL or a power loss loses
 * at most the append in progress. A window's block is written whole under a temporary name, forced
 * and moved into place, then the samples log is cut there. {@link #open} reads the series, the
 * blocks (a block that fails its checksums is set aside as {@code .bad}) and the samples log after
 * the last cut (truncated at its first bad record) back into the head.
 *
 * <p>Bounds: blocks that ended more than {@code retention} before the newest sample go; beyond
 * {@code maxBytes} on disk (blocks and logs) the oldest blocks go; both counted.
 *
 * <p>One writer (the history verticle) calls {@link #seriesId}, {@link #append} and {@link #close};
 * queries on any thread read a {@link Reader}, which sees the store as it was when taken.
 */
public final class HistoryStore implements Closeable {
  /** The value Prometheus marks a vanished series with; kept bit for bit. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final Logger LOG = Logger.getLogger(HistoryStore.class.getName());
  private static final int SAMPLES = 1;
  private static final int SERIES = 2;

  private final HistoryOptions options;
  private final Path blockDir;
  private final Catalog catalog = new Catalog();
  private final SegmentLog seriesLog;
  private final SegmentLog wal;
  private final WalCodec codec = new WalCodec();
  private final List<Block> blocks = new ArrayList<>(); // by time
  private XorChunk[] head = new XorChunk[1024];
  private long[] seen = new long[1024]; // the time each series was last given to append
  private final Map<Integer, Source> sources = new HashMap<>(); // by source id
  private long windowStart = Long.MIN_VALUE;
  private long windowEnd = Long.MIN_VALUE;
  private long newest = Long.MIN_VALUE; // the latest time appended, of any source
  private volatile State state;
  private FileChannel lockFile; // locked while open: one writer per directory
  private final HistoryCounts counts;

  /** What a reader sees: the blocks and each series' head samples, at one moment. */
  private record State(List<Block> blocks, XorChunk.View[] head, long newest) {}

  private HistoryStore(
      HistoryOptions options, HistoryCounts counts, SegmentLog seriesLog, SegmentLog wal)
      throws IOException {
    this.options = options;
    this.counts = counts;
    this.blockDir = options.dir().resolve("blocks");
    this.seriesLog = seriesLog;
    this.wal = wal;
    Files.createDirectories(blockDir);
  }

  /** Opens the history in {@code options.dir()}, made if missing, and recovers it. */
  public static HistoryStore open(HistoryOptions options) throws IOException {
    return open(options, new HistoryCounts());
  }

  /** Opens the history, counting into {@code counts}. */
  public static HistoryStore open(HistoryOptions options, HistoryCounts counts) throws IOException {
    Path dir = options.dir();
    Files.createDirectories(dir);
    FileChannel lockFile =
        FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      throw new IOException(
          "the history in " + dir + " is in use by another Tally (one writer per directory)");
    }
    try {
      HistoryStore store = open(options, counts, dir);
      store.lockFile = lockFile;
      return store;
    } catch (IOException | RuntimeException e) {
      lockFile.close();
      throw e;
    }
  }

  private static HistoryStore open(HistoryOptions options, HistoryCounts counts, Path dir)
      throws IOException {
    SegmentLog series = SegmentLog.open(dir.resolve("series"), 64L << 20, Long.MAX_VALUE);
    SegmentLog wal;
    try {
      wal = SegmentLog.open(dir.resolve("wal"), 64L << 20, Long.MAX_VALUE);
    } catch (IOException | RuntimeException e) {
      series.close();
      throw e;
    }
    HistoryStore store = new HistoryStore(options, counts, series, wal);
    try {
      store.recover();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void recover() throws IOException {
    for (SegmentLog.Entry e : readAll(seriesLog)) {
      WalCodec.Series s = WalCodec.readSeries(e.payload());
      catalog.put(s.id(), s.labels());
    }
    try (Stream<Path> files = Files.list(blockDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String name = p.getFileName().toString();
        if (name.endsWith(".tmp")) {
          Files.deleteIfExists(p); // a block cut short: its samples are still in the log
        } else if (name.endsWith(Block.SUFFIX)) {
          try {
            blocks.add(Block.open(p));
          } catch (IOException e) {
            LOG.warning("History block set aside: " + e.getMessage());
            counts.corruptBlocks++;
            Files.move(p, p.resolveSibling(name + ".bad"));
          }
        }
      }
    }
    blocks.sort(Comparator.comparingLong(Block::mint));
    long blocksEnd = blocks.isEmpty() ? Long.MIN_VALUE : blocks.get(blocks.size() - 1).maxt();
    codec.reset();
    SegmentLog.Position at = wal.acked();
    for (SegmentLog.Entry e : readAll(wal)) {
      long t = ByteBuffer.wrap(e.payload()).getLong(); // the window first: a cut resets the codec
      if (t >= windowEnd) {
        cut(t, at);
      }
      WalCodec.Samples s = codec.readSamples(e.payload());
      Source src = source(s.source());
      if (s.t() >= blocksEnd && s.t() > src.last) { // older ones are in a block already
        toHead(src, s.t(), s.ids(), s.values(), s.ids().length);
      }
      at = e.next();
    }
    long truncated = wal.truncatedBytes() + seriesLog.truncatedBytes();
    if (truncated > 0) {
      LOG.warning(
          "History: " + truncated + " bytes of a record cut by a crash removed from its logs");
    }
    publish();
    if (newest != Long.MIN_VALUE) {
      LOG.info(
          "History: "
              + catalog.size()
              + " series, "
              + blocks.size()
              + " blocks, head up to "
              + newest
              + " recovered");
    }
  }

  private static List<SegmentLog.Entry> readAll(SegmentLog log) throws IOException {
    List<SegmentLog.Entry> all = new ArrayList<>();
    SegmentLog.Position at = log.acked();
    while (true) {
      List<SegmentLog.Entry> some = log.read(at, 1);
      if (some.isEmpty()) {
        return all;
      }
      all.addAll(some);
      at = some.get(some.size() - 1).next();
    }
  }

  /** The id of a series, added (and logged) if new. Writer only. */
  public int seriesId(Labels labels) throws IOException {
    int id = catalog.idOf(labels);
    if (id < 0) {
      id = catalog.size();
      byte[] record = WalCodec.series(id, labels);
      seriesLog.append(SERIES, 1, System.currentTimeMillis(), record, 0, record.length);
      catalog.put(id, labels);
      counts.series++;
    }
    return id;
  }

  /** Where samples come from: each its own series, appended in time order, stale on its own. */
  private static final class Source {
    long last = Long.MIN_VALUE; // the time of its last append
    int[] present = new int[0]; // series with a sample at its last append
    int count;
  }

  private Source source(int id) {
    return sources.computeIfAbsent(id, k -> new Source());
  }

  /** As {@link #append(int, long, int[], double[], int)} for the ticks' samples (source 0). */
  public boolean append(long t, int[] ids, double[] values, int n) throws IOException {
    return append(0, t, ids, values, n);
  }

  /**
   * Appends the samples of time {@code t} (epoch ms) from {@code source} (0: the ticks; others:
   * rule groups' recordings): {@code values[i]} of series {@code ids[i]}, each series once. Series
   * that had a sample at the source's last append and have none now get a stale marker. Writer
   * only.
   *
   * @return false if {@code t} is not after the source's last append, or before the current hour
   *     (its block is written): nothing written, counted
   */
  public boolean append(int source, long t, int[] ids, double[] values, int n) throws IOException {
    Source src = source(source);
    if (t <= src.last || (windowStart != Long.MIN_VALUE && t < windowStart)) {
      counts.outOfOrder++;
      return false;
    }
    if (t >= windowEnd) {
      wal.startSegment(); // the hour's log in segments of its own: deleted once in a block
      cut(t, wal.end());
    }
    for (int i = 0; i < n; i++) {
      grow(ids[i]);
      seen[ids[i]] = t;
    }
    int[] allIds = ids;
    double[] allValues = values;
    int total = n;
    for (int i = 0; i < src.count; i++) { // vanished since the last append: stale
      int id = src.present[i];
      if (seen[id] != t) {
        if (allIds == ids) {
          allIds = Arrays.copyOf(ids, n + src.count);
          allValues = Arrays.copyOf(values, n + src.count);
        }
        allIds[total] = id;
        allValues[total++] = STALE_NAN;
      }
    }
    byte[] record = codec.samples(t, source, allIds, allValues, total);
    seriesLog.sync();
    wal.append(SAMPLES, total, System.currentTimeMillis(), record, 0, record.length);
    codec.commit();
    wal.sync();
    toHead(src, t, allIds, allValues, total);
    dropOld();
    publish();
    return true;
  }

  private void grow(int id) {
    if (id >= head.length) {
      int size = Math.max(id + 1, head.length * 2);
      head = Arrays.copyOf(head, size);
      seen = Arrays.copyOf(seen, size);
    }
  }

  private void toHead(Source src, long t, int[] ids, double[] values, int n) {
    if (src.present.length < n) {
      src.present = new int[Math.max(n, src.present.length * 2)];
    }
    src.count = 0;
    long written = 0;
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      grow(id);
      XorChunk c = head[id];
      if (c == null) {
        c = new XorChunk(32);
        head[id] = c;
      }
      if (c.count() > 0 && c.lastTime() >= t) {
        continue; // a repeated id in one append: the first value is kept
      }
      c.append(t, values[i]);
      if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(STALE_NAN)) {
        src.present[src.count++] = id;
      }
      written++;
    }
    counts.samples += written; // once an append: the meter reads a volatile
    src.last = t;
    newest = Math.max(newest, t);
  }

  /**
   * Closes the window before {@code t}: its head becomes a block, the samples log is cut at {@code
   * at}, and the head starts the window of {@code t}.
   */
  private void cut(long t, SegmentLog.Position at) throws IOException {
    if (windowEnd != Long.MIN_VALUE && !blockExists(windowStart)) {
      List<Block.Chunk> chunks = new ArrayList<>();
      for (int id = 0; id < head.length; id++) {
        XorChunk c = head[id];
        if (c != null && c.count() > 0) {
          chunks.add(new Block.Chunk(id, c.count(), c.toBytes()));
        }
      }
      if (!chunks.isEmpty()) {
        blocks.add(Block.write(blockDir, windowStart, windowEnd, chunks));
        counts.blocksWritten++;
      }
    }
    head = new XorChunk[head.length];
    wal.ack(at);
    wal.sync();
    codec.reset();
    long block = options.blockMillis();
    windowStart = Math.floorDiv(t, block) * block;
    windowEnd = windowStart + block;
  }

  private boolean blockExists(long mint) {
    for (Block b : blocks) {
      if (b.mint() == mint) {
        return true;
      }
    }
    return false;
  }

  /** Deletes the blocks beyond the retention or the byte bound, oldest first. */
  private void dropOld() throws IOException {
    while (!blocks.isEmpty() && blocks.get(0).maxt() <= newest - options.retentionMillis()) {
      delete(blocks.remove(0));
      counts.blocksDroppedRetention++;
    }
    while (!blocks.isEmpty() && bytesOnDisk() > options.maxBytes()) {
      delete(blocks.remove(0));
      counts.blocksDroppedBytes++;
    }
  }

  private static void delete(Block b) throws IOException {
    Files.deleteIfExists(b.file());
    LOG.info("History block deleted: " + b.file().getFileName());
  }

  /** Bytes on disk: blocks and both logs. */
  public long bytesOnDisk() {
    long sum = wal.bytesOnDisk() + seriesLog.bytesOnDisk();
    for (Block b : blocks) {
      sum += b.bytes();
    }
    return sum;
  }

  private void publish() {
    XorChunk.View[] views = new XorChunk.View[head.length];
    long heap = 0;
    for (int id = 0; id < head.length; id++) {
      XorChunk c = head[id];
      if (c != null && c.count() > 0) {
        views[id] = c.publish();
        heap += c.retainedBytes();
      }
    }
    state = new State(List.copyOf(blocks), views, newest);
    counts.blocks = blocks.size();
    counts.bytes = bytesOnDisk();
    counts.headBytes = heap;
  }

  /** The store's counts (writer thread). */
  public HistoryCounts counts() {
    return counts;
  }

  /** A reader of the store as it is now; any thread. */
  public Reader reader() {
    return new Reader(state, catalog);
  }

  @Override
  public void close() throws IOException {
    try {
      wal.close();
    } finally {
      try {
        seriesLog.close();
      } finally {
        if (lockFile != null) {
          lockFile.close(); // releases the lock
        }
      }
    }
  }

  /**
   * Reads the blocks and head samples as they were when made (the catalog of series is the live
   * one: series added since have no samples in it). Not thread-safe: one query, one reader.
   */
  public static final class Reader {
    private final State state;
    private final Catalog catalog;

    private Reader(State state, Catalog catalog) {
      this.state = state;
      this.catalog = catalog;
    }

    /** The time of the newest sample (epoch ms); Long.MIN_VALUE when there is none. */
    public long newest() {
      return state.newest();
    }

    /** The ids of the series every matcher matches, ascending. */
    public int[] select(List<Matcher> matchers) {
      return catalog.select(matchers);
    }

    public Labels labels(int id) {
      return catalog.labels(id);
    }

    /** True if series {@code id} has samples between {@code mint} and {@code maxt}. */
    public boolean hasData(int id, long mint, long maxt) {
      for (Block b : state.blocks()) {
        if (b.maxt() > mint && b.mint() <= maxt && b.has(id)) {
          return true;
        }
      }
      XorChunk.View[] h = state.head();
      return id < h.length && h[id] != null && h[id].lastT() >= mint && h[id].firstT() <= maxt;
    }

    /**
     * The samples of series {@code id} with {@code mint <= t <= maxt}, oldest first, into {@code
     * out} (cleared first).
     *
     * @throws IOException if a block's chunk fails its checksum
     */
    public Samples read(int id, long mint, long maxt, Samples out) throws IOException {
      out.clear();
      for (Block b : state.blocks()) {
        if (b.maxt() > mint && b.mint() <= maxt) {
          XorChunk.View v = b.chunk(id);
          if (v != null) {
            out.add(v, mint, maxt);
          }
        }
      }
      XorChunk.View[] h = state.head();
      if (id < h.length && h[id] != null) {
        out.add(h[id], mint, maxt);
      }
      return out;
    }
  }
}
