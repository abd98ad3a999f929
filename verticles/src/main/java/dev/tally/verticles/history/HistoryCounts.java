package dev.tally.verticles.history;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What the history store did, counted by its one writer (volatile: the meters read it when the
 * registry is scraped), and its meters ({@code tally_history_*}).
 */
public final class HistoryCounts implements MeterBinder {
  volatile long series;
  volatile long samples;
  volatile long outOfOrder;
  volatile long blocksWritten;
  volatile long blocksDroppedRetention;
  volatile long blocksDroppedBytes;
  volatile long corruptBlocks;
  volatile int blocks;
  volatile long bytes;
  volatile long headBytes;
  volatile long writeFailures;

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("tally.history.samples", this, c -> c.samples)
        .description("Samples written to the history, stale markers among them")
        .register(registry);
    FunctionCounter.builder("tally.history.series.created", this, c -> c.series)
        .description("Series the history gave an id since start")
        .register(registry);
    FunctionCounter.builder("tally.history.blocks.written", this, c -> c.blocksWritten)
        .description("Hourly blocks written")
        .register(registry);
    FunctionCounter.builder("tally.history.blocks.dropped", this, c -> c.blocksDroppedRetention)
        .tag("reason", "retention")
        .description("Blocks deleted: older than the retention, or beyond the byte bound")
        .register(registry);
    FunctionCounter.builder("tally.history.blocks.dropped", this, c -> c.blocksDroppedBytes)
        .tag("reason", "max_bytes")
        .description("Blocks deleted: older than the retention, or beyond the byte bound")
        .register(registry);
    FunctionCounter.builder("tally.history.blocks.corrupt", this, c -> c.corruptBlocks)
        .description("Blocks set aside at start because they failed their checksums")
        .register(registry);
    FunctionCounter.builder("tally.history.samples.refused", this, c -> c.outOfOrder)
        .description(
            "Appends refused because their time was not after the source's last or was in an"
                + " hour already written as a block")
        .register(registry);
    FunctionCounter.builder("tally.history.write.failures", this, c -> c.writeFailures)
        .description("Appends the history could not write (disk full, I/O errors)")
        .register(registry);
    Gauge.builder("tally.history.disk", this, c -> c.bytes)
        .baseUnit("bytes")
        .description("Bytes of the history on disk: blocks and logs")
        .register(registry);
    Gauge.builder("tally.history.head", this, c -> c.headBytes)
        .baseUnit("bytes")
        .description("Heap bytes of the history's current hour of samples")
        .register(registry);
    Gauge.builder("tally.history.blocks", this, c -> c.blocks)
        .description("Blocks on disk")
        .register(registry);
  }

  /** Blocks deleted because they were older than the retention. */
  public long blocksDroppedRetention() {
    return blocksDroppedRetention;
  }

  /** Blocks deleted to keep the history within its byte bound. */
  public long blocksDroppedBytes() {
    return blocksDroppedBytes;
  }

  /** Blocks set aside at start because they failed their checksums. */
  public long corruptBlocks() {
    return corruptBlocks;
  }

  /** Blocks on disk. */
  public int blocks() {
    return blocks;
  }
}
