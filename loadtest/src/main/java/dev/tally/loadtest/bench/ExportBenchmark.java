package dev.tally.loadtest.bench;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.disk.SegmentLog;
import dev.tally.verticles.export.RemoteWriteBatches;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.xerial.snappy.Snappy;

/**
 * Export on one core. {@code remoteWrite*}: one export of 10 000 series into remote-write records
 * and each record snappy-compressed, as the sender sends it; the score is samples per second
 * (counters: one sample a series; timers: seven). {@code append}: 64 KiB records appended to a
 * queue (not synced: the sync is once per interval), in records per second; {@code replay}: a queue
 * of 64 MiB read back from the start, in replays per second.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar ExportBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExportBenchmark {
  static final int SERIES = 10_000;
  static final int RECORD_BYTES = 64 * 1024;
  static final int REPLAY_RECORDS = 1024; // 64 MiB

  private TickSnapshot counters;
  private TickSnapshot timers;
  private RemoteWriteBatches batches;
  private byte[] compressed;
  private Path dir;
  private SegmentLog appendLog;
  private SegmentLog replayLog;
  private byte[] record;
  private long appended;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    counters = tick(MetricKind.COUNTER);
    timers = tick(MetricKind.TIMER);
    batches = new RemoteWriteBatches(List.of(), 2, 2000, key -> true);
    compressed = new byte[Snappy.maxCompressedLength(1 << 20)];
    dir = Files.createTempDirectory("tally-export-bench");
    record = new byte[RECORD_BYTES];
    ThreadLocalRandom.current().nextBytes(record);
    appendLog = SegmentLog.open(dir.resolve("append"), 64L << 20, 1L << 30);
    replayLog = SegmentLog.open(dir.resolve("replay"), 64L << 20, 1L << 30);
    for (int i = 0; i < REPLAY_RECORDS; i++) {
      replayLog.append(1, 100, i, record, 0, record.length);
    }
    replayLog.sync();
  }

  private static TickSnapshot tick(MetricKind kind) {
    List<SeriesSnapshot> all = new ArrayList<>(SERIES);
    double[] quantiles = {10_000, 20_000, 30_000, 40_000, 50_000};
    for (int i = 0; i < SERIES; i++) {
      SeriesKey key =
          SeriesKey.of(
              kind,
              "checkout.request." + (i % 100),
              List.of("route", "/api/v1/items/" + i, "region", "eu-west-" + (i % 3)));
      SeriesName name = new SeriesName(key, null);
      all.add(
          kind == MetricKind.COUNTER
              ? new SeriesSnapshot(name, 1000, i, 0, 0, 0, Double.NaN, Double.NaN, null)
              : new SeriesSnapshot(name, 1000, 0, 0, 100, 3000, 1, 90, quantiles));
    }
    return TickSnapshot.of(1000, all, (a, b) -> a);
  }

  private long export(TickSnapshot tick, Blackhole bh) {
    return batches.encode(
        tick,
        (shard, bytes, length, samples) -> {
          try {
            bh.consume(Snappy.compress(bytes, 0, length, compressed, 0));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public long remoteWriteCounters(Blackhole bh) {
    return export(counters, bh);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * 7)
  public long remoteWriteTimers(Blackhole bh) {
    return export(timers, bh);
  }

  @Benchmark
  public SegmentLog.Position append() throws IOException {
    SegmentLog.Position p = appendLog.append(1, 100, appended, record, 0, record.length);
    if (++appended % 2048 == 0) {
      appendLog.ack(p); // deletes the written segments: the disk does not fill
    }
    return p;
  }

  @Benchmark
  public int replay() throws IOException {
    int n = 0;
    SegmentLog.Position at = replayLog.acked();
    for (List<SegmentLog.Entry> read = replayLog.read(at, 6400);
        !read.isEmpty();
        read = replayLog.read(at, 6400)) {
      n += read.size();
      at = read.get(read.size() - 1).next();
    }
    return n;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    appendLog.close();
    replayLog.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
