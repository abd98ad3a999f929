package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Assembles each tick once from the shards' snapshots ({@link TickAssembler}) and publishes it on
 * {@link Addresses#TICK} for the HTTP verticle ({@code /metrics}, and the live feed unless
 * clustered), the alert verticle and, clustered, the series exchange. Deployed as a worker: sorting
 * 100 000 series takes longer than an event loop may be held.
 */
public final class TickVerticle extends VerticleBase {
  private final int shards;

  public TickVerticle(int shards) {
    this.shards = shards;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, ShardSnapshot.class);
    LocalCodec.register(vertx, TickSnapshot.class);
    TickAssembler assembler = new TickAssembler(shards);
    return vertx
        .eventBus()
        .<ShardSnapshot>localConsumer(
            Addresses.SNAPSHOT,
            msg -> {
              TickSnapshot tick = assembler.add(msg.body());
              if (tick != null) {
                vertx.eventBus().publish(Addresses.TICK, tick);
              }
            })
        .completion();
  }
}
