package dev.tally.verticles.logs;

import dev.tally.protocol.model.LogBatch;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.Owner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Function;

/**
 * The owner of the {@link LogStore}: takes {@link LogBatch}es on {@link Addresses#LOGS}, publishes
 * each stored batch on {@link Addresses#LOGS_TAIL} for the live tail, and answers queries through
 * {@link #call} on its own thread. Deployed as a worker, so that a regex search over a full store
 * holds no event loop.
 */
public final class LogStoreVerticle extends VerticleBase {
  private final LogStore store;
  private final Inbox inbox;
  private volatile Context owner;

  /**
   * @param inbox the bound of batches in flight to this verticle; released as they are taken
   */
  public LogStoreVerticle(int maxRecords, long maxBytes, LogStoreStats stats, Inbox inbox) {
    this.store = new LogStore(maxRecords, maxBytes, stats);
    this.inbox = inbox;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, LogBatch.class);
    owner = context;
    return vertx
        .eventBus()
        .<LogBatch>localConsumer(
            Addresses.LOGS,
            msg -> {
              inbox.release(msg.body().bytes());
              store.add(msg.body().entries());
              vertx.eventBus().publish(Addresses.LOGS_TAIL, msg.body());
            })
        .completion();
  }

  /** Runs {@code action} on the store on this verticle's thread; completes with its result. */
  public <T> Future<T> call(Function<LogStore, T> action) {
    return Owner.call(owner, () -> action.apply(store));
  }

  /** The JSON of {@code GET /api/logs}. */
  public Future<String> logs(LogQuery query) {
    return call(s -> LogJson.list(s.search(query, RegexBudget.DEFAULT_LIMIT)).encode());
  }

  /** The JSON of {@code GET /api/logs/errors}. */
  public Future<String> errors() {
    return call(s -> LogJson.errors(s.errors()).encode());
  }
}
