package dev.tally.gateway.ingest;

import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdEvents;
import dev.tally.protocol.statsd.StatsdSample;
import dev.tally.protocol.statsd.StatsdSink;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Collects the samples of one read turn into one {@link SampleBatch} per shard and sends each with
 * one event-bus message when the turn ends ({@link #flush}) or a batch is full. A batch once made
 * is always sent: when the shards fall behind (a shard's queue full, or more than {@link
 * #MAX_IN_FLIGHT_BYTES} of this reader's batches not yet taken) the reader asks {@link
 * #backlogged()} and stops reading its socket until {@link #caughtUp()}, so that overload is shed
 * by the kernel (counted as its drops), before any work is spent on it. The turn's events become
 * log records, sent as one {@link LogBatch} at its end. Confined to one event loop, but for the
 * recycling of batches, which the shards do.
 */
final class BatchAccumulator implements StatsdSink {
  /** Samples after which a batch is sent before the turn ends, to bound its size. */
  static final int MAX_BATCH = 4096;

  private final Sender sender;
  private final Consumer<LogBatch> events;
  private final List<LogEntry> turnEvents = new ArrayList<>();
  private final ShardRouter router;
  private final PipelineStats stats;
  private final RejectedLines rejected;
  private final SampleBatch[] batches;

  /** A batch grown past this (long keys) is not kept for reuse. */
  static final long POOL_MAX_BATCH_BYTES = 512 << 10;

  /**
   * Bytes of this reader's batches that may wait for the shards before it stops reading: about a
   * tenth of a second of a shard's work, beside the socket's receive buffer, which holds the rest.
   */
  static final long MAX_IN_FLIGHT_BYTES = 8 << 20;

  /** How often the reader {@link #trim}s its pool. */
  static final long TRIM_MILLIS = 5000;

  /** Batches the pool keeps whatever the trims find: a second's fluctuations reuse them. */
  static final int POOL_FLOOR = 64;

  /** Batches the shards have finished with, back for reuse: steady traffic allocates none. */
  private final Queue<SampleBatch> returned = new ConcurrentLinkedQueue<>();

  /** How many batches {@link #returned} holds; shards add, this accumulator's thread takes. */
  private final AtomicInteger pooled = new AtomicInteger();

  /** Bytes of the batches sent and not yet released by their shard. */
  private final AtomicLong inFlightBytes = new AtomicLong();

  private final Consumer<SampleBatch> recycler = this::recycle;
  private int leastIdle = Integer.MAX_VALUE; // the fewest pooled batches since the last trim

  /**
   * The largest batch sent so far (at most {@link #MAX_BATCH} samples): a new batch starts this
   * large instead of growing by copies. It does not shrink, but what it costs is bounded by the
   * batch bound, and the pool's {@link #trim} lets unused batches go.
   */
  private int largest;

  /**
   * An accumulator of a StatsD reader: each shard's batches sent on the event bus to the shard's
   * address ({@code bus.send} from the reader's context), the turns' events to the log store.
   */
  static BatchAccumulator onEventBus(
      EventBus bus,
      ShardRouter router,
      PipelineStats stats,
      RejectedLines rejected,
      Inbox logInbox,
      LogStoreStats logStats) {
    String[] addresses = new String[router.shards()];
    Arrays.setAll(addresses, Addresses::aggregate);
    return new BatchAccumulator(
        (shard, batch) -> bus.send(addresses[shard], batch),
        new LogForwarder(bus, logInbox, logStats),
        router,
        stats,
        rejected);
  }

  /**
   * @param sender hands a sealed batch to its shard (the event bus in the gateway; a throwaway
   *     shard in {@link WarmUp})
   * @param events hands the log records of a turn's events to the log store
   */
  BatchAccumulator(
      Sender sender,
      Consumer<LogBatch> events,
      ShardRouter router,
      PipelineStats stats,
      RejectedLines rejected) {
    this.sender = sender;
    this.events = events;
    this.router = router;
    this.stats = stats;
    this.rejected = rejected;
    this.batches = new SampleBatch[router.shards()];
  }

  @Override
  public void sample(StatsdSample sample) {
    int shard = router.shardOf(sample.routingHash());
    SampleBatch batch = batches[shard];
    if (batch == null) {
      batch = batches[shard] = newBatch();
    }
    batch.add(sample);
    if (batch.size() >= MAX_BATCH) {
      send(shard);
    }
  }

  @Override
  public void rejected(RejectReason reason, byte[] bytes, int from, int to) {
    rejected.add("statsd", reason, bytes, from, to, System.currentTimeMillis());
  }

  @Override
  public void event(byte[] bytes, int from, int to) {
    turnEvents.add(
        StatsdEvents.toLogEntry(bytes, from, to, System.currentTimeMillis() * 1_000_000L));
  }

  /** Sends every batch that holds samples, and the turn's events. */
  void flush() {
    if (!turnEvents.isEmpty()) {
      events.accept(new LogBatch(turnEvents));
      turnEvents.clear();
    }
    for (int shard = 0; shard < batches.length; shard++) {
      if (batches[shard] != null) {
        send(shard);
      }
    }
  }

  private SampleBatch newBatch() {
    SampleBatch reused = take();
    leastIdle = Math.min(leastIdle, pooled.get());
    // under overload the shards hold many batches and the pool runs dry: new ones come sized
    return reused != null ? reused.reset() : new SampleBatch(largest).recycler(recycler);
  }

  private SampleBatch take() {
    SampleBatch b = returned.poll();
    if (b != null) {
      pooled.decrementAndGet();
    }
    return b;
  }

  /** Takes a batch a shard has finished with, on the shard's thread. */
  private void recycle(SampleBatch batch) {
    long bytes = batch.retainedBytes();
    inFlightBytes.addAndGet(-bytes);
    if (bytes <= POOL_MAX_BATCH_BYTES) {
      pooled.incrementAndGet();
      returned.offer(batch);
    }
  }

  /**
   * Lets the batches that stayed unused since the last trim go (the fewest the pool held at any
   * moment since), beyond a floor of {@link #POOL_FLOOR}: called every {@link #TRIM_MILLIS} on this
   * accumulator's thread, it gives what a burst made back to the collector within two periods of
   * its end, while steady traffic, however many batches the shards keep queued, goes on reusing its
   * own. (Trimming every second, without a floor, cost throughput at 100 000 series: batches let go
   * in a quiet second were made again in the next busy one.)
   */
  void trim() {
    int idle = Math.min(leastIdle, pooled.get() - POOL_FLOOR);
    for (int i = 0; i < idle && take() != null; i++) {
      // dropped: the collector takes it
    }
    leastIdle = pooled.get();
  }

  /** The heap the pooled batches hold (a walk over the pool: for tests). */
  long pooledBytes() {
    return returned.stream().mapToLong(SampleBatch::retainedBytes).sum();
  }

  /**
   * True if the shards are behind: one's queue is full, or this reader's batches waiting for them
   * hold more than {@link #MAX_IN_FLIGHT_BYTES}. The reader then stops reading until {@link
   * #caughtUp()}.
   */
  boolean backlogged() {
    return waiting(MAX_IN_FLIGHT_BYTES, router.maxPending() - 1);
  }

  /** True once the shards have taken half of what makes {@link #backlogged()} true. */
  boolean caughtUp() {
    return !waiting(MAX_IN_FLIGHT_BYTES / 2, router.maxPending() / 2);
  }

  /**
   * True if more than {@code bytes} of this reader's batches wait, or a shard has more than {@code
   * depth} batches waiting.
   */
  private boolean waiting(long bytes, int depth) {
    if (inFlightBytes.get() > bytes) {
      return true;
    }
    for (int s = 0; s < batches.length; s++) {
      if (router.depth(s) > depth) {
        return true;
      }
    }
    return false;
  }

  /** Bytes of the batches sent and not yet finished by their shards. */
  long inFlightBytes() {
    return inFlightBytes.get();
  }

  private void send(int shard) {
    SampleBatch batch = batches[shard].seal();
    batches[shard] = null;
    largest = Math.max(largest, batch.size());
    // never refused: a full queue takes one turn's batches more, and the reader then pauses
    router.reserve(shard);
    inFlightBytes.addAndGet(batch.retainedBytes());
    sender.send(shard, batch);
  }

  /** Hands a sealed batch to shard {@code shard}, which releases it when done. */
  @FunctionalInterface
  interface Sender {
    void send(int shard, SampleBatch batch);
  }
}
