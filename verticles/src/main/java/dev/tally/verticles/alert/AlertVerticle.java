package dev.tally.verticles.alert;

import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.live.TickSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The owner of the {@link AlertEvaluator}: it assembles each tick from the shards' snapshots,
 * evaluates the rules, and publishes an {@link AlertStates} on {@link Addresses#ALERTS}. Other
 * threads reach the evaluator only through {@link #call}, which runs on this verticle's context, so
 * every change to rules, alerts and silences happens on one thread.
 */
public final class AlertVerticle extends VerticleBase {
  private final int shards;
  private final LongSupplier clock;
  private final AlertEvaluator evaluator = new AlertEvaluator();
  private final List<Rule> initialRules;
  private TickAssembler assembler;
  private volatile Context owner;

  /**
   * @param rules the rules to start with (the rules file)
   * @param clock wall-clock milliseconds (tests pass their own)
   */
  public AlertVerticle(int shards, Collection<Rule> rules, LongSupplier clock) {
    this.shards = shards;
    this.initialRules = List.copyOf(rules);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, ShardSnapshot.class);
    LocalCodec.register(vertx, AlertStates.class);
    owner = context;
    assembler = new TickAssembler(shards);
    evaluator.setRules(initialRules, clock.getAsLong());
    return vertx
        .eventBus()
        .<ShardSnapshot>localConsumer(Addresses.SNAPSHOT, msg -> snapshot(msg.body()))
        .completion();
  }

  private void snapshot(ShardSnapshot s) {
    TickSnapshot tick = assembler.add(s);
    if (tick != null) {
      long now = clock.getAsLong();
      publish(now, evaluator.evaluate(tick, now));
    }
  }

  private void publish(long now, List<Notification> notifications) {
    vertx
        .eventBus()
        .publish(Addresses.ALERTS, new AlertStates(now, evaluator.alerts(now), notifications));
  }

  /**
   * Runs {@code action} on the evaluator on this verticle's thread, with the time now; its
   * notifications (rule changes end alerts) are published. Completes with the action's result.
   */
  public <T> Future<T> call(Function<AlertEvaluator, T> action) {
    return change(now -> new Change<>(action.apply(evaluator), List.of()));
  }

  /** As {@link #call}, for actions that end alerts: their notifications are published. */
  public <T> Future<T> change(LongFunction<Change<T>> action) {
    Promise<T> result = Promise.promise();
    owner.runOnContext(
        v -> {
          try {
            long now = clock.getAsLong();
            Change<T> c = action.apply(now);
            if (!c.notifications().isEmpty()) {
              publish(now, c.notifications());
            }
            result.complete(c.result());
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }

  /** What an action returns and the notifications it caused. */
  public record Change<T>(T result, List<Notification> notifications) {}

  /** The evaluator, for {@link #change} actions (on this verticle's thread only). */
  public AlertEvaluator evaluator() {
    return evaluator;
  }
}
