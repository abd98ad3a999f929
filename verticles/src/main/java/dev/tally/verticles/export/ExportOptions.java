package dev.tally.verticles.export;

import java.nio.file.Path;
import java.util.List;

/**
 * What is exported, how often, and where the queues are kept. Immutable.
 *
 * @param intervalMillis series are sampled at the first tick of each interval (aligned to the
 *     epoch, as ticks are), stamped with the tick's end; the queues are synced at least as often
 * @param dataDir the queues live under {@code dataDir/export/<target name>/<shard>}
 * @param targets where to: Prometheus remote write and OTLP targets
 * @param degradedAfterMillis a target failing this long makes {@code /health} DEGRADED
 */
public record ExportOptions(
    long intervalMillis, Path dataDir, List<ExportTarget> targets, long degradedAfterMillis) {
  public static final long DEFAULT_INTERVAL_MILLIS = 10_000;
  public static final long DEFAULT_DEGRADED_AFTER_MILLIS = 300_000;
  public static final String DEFAULT_DATA_DIR = "./data";

  public ExportOptions {
    targets = List.copyOf(targets);
  }

  /** No export. */
  public static ExportOptions none() {
    return new ExportOptions(
        DEFAULT_INTERVAL_MILLIS,
        Path.of(DEFAULT_DATA_DIR),
        List.of(),
        DEFAULT_DEGRADED_AFTER_MILLIS);
  }

  /** True if a target takes {@code signal}. */
  public boolean exports(Signal signal) {
    return targets.stream().anyMatch(t -> t.signals().contains(signal));
  }

  /** The directory of one shard's queue of a target. */
  public Path queueDir(ExportTarget target, int shard) {
    return dataDir.resolve("export").resolve(target.name()).resolve(Integer.toString(shard));
  }
}
