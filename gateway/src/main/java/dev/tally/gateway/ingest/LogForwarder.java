package dev.tally.gateway.ingest;

import dev.tally.protocol.model.LogBatch;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.logs.LogStoreStats;
import io.vertx.core.eventbus.EventBus;
import java.util.function.Consumer;

/**
 * Sends the log records of StatsD events to the log store, within its inbox and the shared byte
 * bound; when either is full the records are dropped and counted (a UDP sender cannot be asked to
 * retry). Thread-safe.
 */
final class LogForwarder implements Consumer<LogBatch> {
  private final EventBus bus;
  private final Inbox inbox;
  private final LogStoreStats stats;

  LogForwarder(EventBus bus, Inbox inbox, LogStoreStats stats) {
    this.bus = bus;
    this.inbox = inbox;
    this.stats = stats;
  }

  @Override
  public void accept(LogBatch batch) {
    if (inbox.tryReserve(batch.bytes())) {
      bus.send(Addresses.LOGS, batch);
    } else {
      stats.addDropped(batch.entries().size());
    }
  }
}
