package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One aggregation shard: takes {@link SampleBatch}es (StatsD) and {@link OtlpBatch}es on {@code
 * tally.aggregate.<shard>}, and at every tick (aligned to wall-clock multiples of the tick)
 * publishes a {@link ShardSnapshot} on {@code tally.snapshot}. Wiring only; the logic is {@link
 * ShardAggregator}.
 */
public final class AggregatorVerticle extends VerticleBase {
  private final int shard;

  /**
   * The wall clock in milliseconds. One instance for every shard: each {@code
   * System::currentTimeMillis} written out is a class of its own, and a JIT that compiled the
   * shards' receive path for one recompiles it when a shard with another comes (the StatsD
   * warm-up's shards and the real ones).
   */
  public static final LongSupplier WALL_CLOCK = System::currentTimeMillis;

  private final AggregatorOptions options;
  private final ShardRouter router;
  private final ShardAggregator aggregator;
  private final LongSupplier clock;
  private MessageConsumer<Object> consumer;
  private final PipelineStats stats;
  private final RateLimitedLog failures =
      new RateLimitedLog(Logger.getLogger(AggregatorVerticle.class.getName()), 60_000);
  private long timer = -1;

  /**
   * @param clock wall-clock milliseconds
   * @param ownership which series this node owns, null for all (see {@link ShardAggregator})
   */
  public AggregatorVerticle(
      int shard,
      AggregatorOptions options,
      ShardRouter router,
      SeriesLimiter limiter,
      PipelineStats stats,
      LongSupplier clock,
      Ownership ownership) {
    this.shard = shard;
    this.options = new AggregatorOptions(options);
    this.router = router;
    this.aggregator = new ShardAggregator(shard, this.options, limiter, stats, ownership);
    this.clock = clock;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, SampleBatch.class);
    LocalCodec.register(vertx, OtlpBatch.class);
    LocalCodec.register(vertx, ShardSnapshot.class);
    LocalCodec.register(vertx, DeltaBatch.class);
    consumer =
        vertx
            .eventBus()
            .localConsumer(
                Addresses.aggregate(shard),
                msg -> {
                  Object body = msg.body();
                  router.release(shard);
                  if (body instanceof DeltaBatch) { // from other nodes, or owned now
                    DeltaBatch batch = (DeltaBatch) body;
                    router.releaseBytes(batch.bytes());
                    aggregator.accept(batch, clock.getAsLong());
                    return;
                  }
                  if (body instanceof SampleBatch) {
                    SampleBatch batch = (SampleBatch) body;
                    aggregator.accept(batch, clock.getAsLong());
                    batch.release();
                  } else {
                    OtlpBatch batch = (OtlpBatch) body;
                    router.releaseBytes(batch.bytes());
                    aggregator.accept(batch, clock.getAsLong());
                  }
                });
    scheduleTick();
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    // the last interval: publish what was aggregated since the previous tick
    long tick = options.getTickMillis();
    publish(aggregator.tick((clock.getAsLong() / tick + 1) * tick));
    return consumer.unregister();
  }

  private void scheduleTick() {
    long tick = options.getTickMillis();
    long now = clock.getAsLong();
    long next = (now / tick + 1) * tick;
    timer =
        vertx.setTimer(
            Math.max(1, next - now),
            id -> {
              try {
                publish(aggregator.tick(next));
              } catch (RuntimeException e) {
                // the shard's own tick failed (its series' failures are contained in it): the
                // next tick is still scheduled, and /health/live fails if none succeeds for long
                stats.addTickFailure();
                failures.log(Level.SEVERE, () -> "shard " + shard + ": tick failed", e);
              } finally {
                scheduleTick();
              }
            });
  }

  private void publish(ShardSnapshot snapshot) {
    vertx.eventBus().publish(Addresses.SNAPSHOT, snapshot);
  }
}
