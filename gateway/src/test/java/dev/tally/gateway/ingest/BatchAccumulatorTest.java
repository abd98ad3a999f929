package dev.tally.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.PipelineStats;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The StatsD batches of read turns, and the pool they come back to. */
class BatchAccumulatorTest {
  private final ShardRouter router = new ShardRouter(2, Integer.MAX_VALUE);
  private final List<SampleBatch> held = new ArrayList<>(); // what the shards have not finished
  private final PipelineStats stats = new PipelineStats();
  private final BatchAccumulator accumulator =
      new BatchAccumulator(
          (shard, batch) -> {
            router.release(shard);
            held.add(batch);
          },
          events -> {},
          router,
          stats,
          new RejectedLines());
  private final DatagramHandler handler =
      new DatagramHandler(
          new StatsdLineParser(new StatsdParserOptions()), accumulator, stats, 65_507);

  /** {@code turns} read turns of 16 datagrams of 20 tagged counter lines. */
  private void traffic(int turns) {
    for (int t = 0; t < turns; t++) {
      for (int p = 0; p < 16; p++) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          sb.append("burst.m").append(i).append(":1|c|#route:/api/v1/items,region:eu-west-1\n");
        }
        byte[] datagram = sb.toString().getBytes(StandardCharsets.US_ASCII);
        handler.datagram(datagram, datagram.length);
      }
      handler.endOfTurn();
    }
  }

  /** The shards finish every batch they were sent. */
  private void shardsFinish() {
    held.forEach(SampleBatch::release);
    held.clear();
  }

  @Test
  void thePoolGivesMemoryBackAfterABurst() {
    traffic(5_000); // a burst the shards queue whole: 10 000 batches
    long burstBytes = held.stream().mapToLong(SampleBatch::retainedBytes).sum();
    shardsFinish();
    assertThat(accumulator.pooledBytes()).isEqualTo(burstBytes);

    accumulator.trim(); // the pool was empty during the burst: nothing stayed unused
    assertThat(accumulator.pooledBytes()).isEqualTo(burstBytes);
    traffic(10); // steady traffic after the burst, each turn's batches finished at once
    shardsFinish();
    accumulator.trim(); // all but the pool's floor stayed unused
    long kept = accumulator.pooledBytes();
    // the floor's 64 batches of the 10 000
    assertThat(kept).isPositive().isLessThan(burstBytes / 100);

    traffic(10);
    shardsFinish();
    accumulator.trim(); // steady traffic reuses the floor's batches
    accumulator.trim(); // and with no traffic the floor stays
    assertThat(accumulator.pooledBytes()).isEqualTo(kept);
    assertThat(stats.statsdLinesAccepted()).isEqualTo(5_020L * 16 * 20);
  }

  @Test
  void aBatchGrownByLongKeysIsNotKept() {
    String tag = "x".repeat(2_000);
    for (int i = 0; i < 1_000; i++) {
      byte[] line = ("long.m" + i + ":1|c|#k:" + tag).getBytes(StandardCharsets.US_ASCII);
      handler.datagram(line, line.length);
    }
    handler.endOfTurn();
    assertThat(held)
        .allSatisfy(
            b ->
                assertThat(b.retainedBytes()).isGreaterThan(BatchAccumulator.POOL_MAX_BATCH_BYTES));
    shardsFinish();
    assertThat(accumulator.pooledBytes()).isZero();
  }

  @Test
  void overloadNeverDropsABatchAlreadyMade() {
    ShardRouter small = new ShardRouter(2, 4); // four batches may wait for a shard
    List<SampleBatch> queued = new ArrayList<>(); // sent, not yet taken: the shards are stalled
    BatchAccumulator reader =
        new BatchAccumulator(
            (shard, batch) -> queued.add(batch), events -> {}, small, stats, new RejectedLines());
    DatagramHandler datagrams =
        new DatagramHandler(new StatsdLineParser(new StatsdParserOptions()), reader, stats, 65_507);
    byte[] datagram = "over.a:1|c\nover.b:1|c\nover.c:1|c\n".getBytes(StandardCharsets.US_ASCII);
    Runnable turn =
        () -> {
          for (int p = 0; p < 16; p++) {
            datagrams.datagram(datagram, datagram.length);
          }
          datagrams.endOfTurn();
        };
    int turns = 0;
    for (; turns < 100 && !datagrams.backlogged(); turns++) {
      turn.run(); // the reader reads until it is told the shards are behind
    }
    assertThat(turns).as("a batch per shard a turn: the fourth fills a queue").isEqualTo(4);
    // a turn already under way when the queues filled (the reader looks at the end of a turn):
    // its batches go beyond the bound instead of being dropped after they were read
    turn.run();
    long lines = 5 * 16 * 3;
    assertThat(queued.stream().mapToLong(SampleBatch::size).sum())
        .as("every line read is in a batch sent to its shard")
        .isEqualTo(lines);
    assertThat(stats.statsdLinesAccepted()).isEqualTo(lines);
    assertThat(small.depth(0) + small.depth(1)).isEqualTo(queued.size());
    assertThat(datagrams.caughtUp()).isFalse();

    // the shards take all but two of each one's queue: half of four, so the reader may read again
    while (small.depth(0) > 2 || small.depth(1) > 2) {
      SampleBatch taken = queued.remove(0);
      small.release(small.shardOf(taken.hash(0)));
      taken.release();
    }
    assertThat(datagrams.caughtUp()).isTrue();
    assertThat(datagrams.backlogged()).isFalse();
  }

  @Test
  void aReaderWhoseBatchesHoldTooManyBytesIsBehind() {
    ShardRouter unbounded = new ShardRouter(1, Integer.MAX_VALUE);
    List<SampleBatch> queued = new ArrayList<>();
    BatchAccumulator reader =
        new BatchAccumulator(
            (shard, batch) -> queued.add(batch),
            events -> {},
            unbounded,
            stats,
            new RejectedLines());
    DatagramHandler datagrams =
        new DatagramHandler(new StatsdLineParser(new StatsdParserOptions()), reader, stats, 65_507);
    byte[] datagram =
        ("bytes.m:1|c|#k:" + "y".repeat(1_000) + "\n").getBytes(StandardCharsets.US_ASCII);
    int turns = 0;
    for (; turns < 100_000 && !datagrams.backlogged(); turns++) {
      datagrams.datagram(datagram, datagram.length);
      datagrams.endOfTurn();
    }
    assertThat(datagrams.backlogged()).as("behind by bytes alone: no queue bound").isTrue();
    assertThat(queued.stream().mapToLong(SampleBatch::retainedBytes).sum())
        .as("what waits is what was counted")
        .isEqualTo(reader.inFlightBytes());
    assertThat(datagrams.caughtUp()).isFalse();
    queued.forEach(SampleBatch::release); // the shards take everything
    assertThat(reader.inFlightBytes()).as("every byte given back").isZero();
    assertThat(datagrams.caughtUp()).isTrue();
  }
}
