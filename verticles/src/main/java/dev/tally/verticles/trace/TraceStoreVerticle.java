package dev.tally.verticles.trace;

import dev.tally.protocol.model.SpanBatch;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.Owner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The owner of the {@link TraceStore}: takes {@link SpanBatch}es on {@link Addresses#TRACES}, drops
 * the undecided traces whose decision wait has passed every quarter of the decision wait (at most
 * every second), and answers queries through {@link #call} on its own thread. Deployed as a worker,
 * so that a query over a full store holds no event loop.
 */
public final class TraceStoreVerticle extends VerticleBase {
  private final TraceStore store;
  private final boolean publishKept;
  private final Inbox inbox;
  private final LongSupplier clock;
  private final long decideEveryMillis;
  private volatile Context owner;

  /**
   * @param inbox the bound of batches in flight to this verticle; released as they are taken
   * @param clock wall-clock milliseconds
   */
  public TraceStoreVerticle(
      TraceStoreOptions options, TraceStoreStats stats, Inbox inbox, LongSupplier clock) {
    this(options, stats, inbox, clock, false);
  }

  /**
   * @param publishKept publish the spans of kept traces on {@link Addresses#TRACES_KEPT} (for the
   *     exporters), every span of a trace once it is kept
   */
  public TraceStoreVerticle(
      TraceStoreOptions options,
      TraceStoreStats stats,
      Inbox inbox,
      LongSupplier clock,
      boolean publishKept) {
    this.store = new TraceStore(options, stats);
    this.publishKept = publishKept;
    if (publishKept) {
      store.collectKept();
    }
    this.inbox = inbox;
    this.clock = clock;
    this.decideEveryMillis = Math.max(10, Math.min(1000, options.getDecisionWaitMillis() / 4));
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, SpanBatch.class);
    owner = context;
    vertx.setPeriodic(decideEveryMillis, id -> store.decide(clock.getAsLong()));
    return vertx
        .eventBus()
        .<SpanBatch>localConsumer(
            Addresses.TRACES,
            msg -> {
              SpanBatch batch = msg.body();
              inbox.release(batch.bytes());
              store.add(batch.spans(), clock.getAsLong());
              if (publishKept) {
                List<TraceSpan> kept = store.takeKept();
                if (!kept.isEmpty()) {
                  vertx.eventBus().publish(Addresses.TRACES_KEPT, new SpanBatch(kept));
                }
              }
            })
        .completion();
  }

  /** Runs {@code action} on the store on this verticle's thread; completes with its result. */
  public <T> Future<T> call(Function<TraceStore, T> action) {
    return Owner.call(owner, () -> action.apply(store));
  }

  /** The JSON of {@code GET /api/traces}. */
  public Future<String> traces(TraceQuery query) {
    return call(s -> TraceJson.list(s.query(query)).encode());
  }

  /** The JSON of {@code GET /api/traces/{id}}, or null if the trace is not in the store. */
  public Future<String> trace(long high, long low) {
    return call(
        s -> {
          StoredTrace t = s.get(high, low);
          return t == null ? null : TraceJson.detail(t).encode();
        });
  }
}
