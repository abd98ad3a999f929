package dev.tally.verticles.logs;

import dev.tally.protocol.model.LogBatch;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.Owner;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.util.function.Function;

/**
 * The owner of the {@link LogStore}: takes {@link LogBatch}es on {@link Addresses#LOGS}, publishes
 * each stored batch on {@link Addresses#LOGS_TAIL} for the live tail, and answers queries through
 * {@link #call} on its own thread. Deployed as a worker; searches run on worker pools of their own
 * over a snapshot of the store.
 */
public final class LogStoreVerticle extends VerticleBase {
  /** Regex searches that run at once (each may take about a second of CPU); more wait. */
  static final int REGEX_SEARCHES = 2;

  /** Plain searches that run at once. */
  static final int PLAIN_SEARCHES = 4;

  private final LogStore store;
  private final Inbox inbox;
  private volatile Context owner;
  private WorkerExecutor plain; // searches without a regular expression
  private WorkerExecutor regex; // searches with one: at most REGEX_SEARCHES at once

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
    plain = vertx.createSharedWorkerExecutor("tally-log-search", PLAIN_SEARCHES);
    regex = vertx.createSharedWorkerExecutor("tally-log-regex", REGEX_SEARCHES);
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

  @Override
  public Future<?> stop() {
    return Future.all(plain.close(), regex.close());
  }

  /** Runs {@code action} on the store on this verticle's thread; completes with its result. */
  public <T> Future<T> call(Function<LogStore, T> action) {
    return Owner.call(owner, () -> action.apply(store));
  }

  /**
   * The JSON of {@code GET /api/logs}. The store's thread only takes a snapshot; the search runs on
   * a worker beside the others (a regex search on the two threads kept for them), so that a plain
   * query never waits behind regex searches nor holds up storing.
   */
  public Future<String> logs(LogQuery query) {
    return call(LogStore::snapshot)
        .compose(
            view ->
                (query.regex() == null ? plain : regex)
                    .executeBlocking(
                        () ->
                            LogJson.list(LogStore.search(view, query, RegexBudget.DEFAULT_LIMIT))
                                .encode(),
                        false));
  }

  /** The JSON of {@code GET /api/logs/errors}. */
  public Future<String> errors() {
    return call(s -> LogJson.errors(s.errors()).encode());
  }
}
