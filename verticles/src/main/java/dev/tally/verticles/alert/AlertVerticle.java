package dev.tally.verticles.alert;

import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.Owner;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner of the {@link AlertEvaluator}: it evaluates the rules on each assembled tick ({@link
 * Addresses#TICK}), and publishes an {@link AlertStates} on {@link Addresses#ALERTS}. Other threads
 * reach the evaluator only through {@link #call}, which runs on this verticle's context, so every
 * change to rules, alerts and silences happens on one thread.
 */
public final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AlertVerticle.class.getName());

  private final LongSupplier clock;
  private final AlertEvaluator evaluator = new AlertEvaluator();
  private final List<Rule> initialRules;
  private final List<Rule> initialApiRules;
  private final String auditFile;
  private long auditWritten;
  private boolean auditWriting; // a write is under way
  private volatile int auditWrites; // written by this verticle's thread only
  private volatile Context owner;

  /**
   * @param fileRules the rules file's rules
   * @param apiRules the rules made through the API before (their own file); one named as a file
   *     rule is left out
   * @param auditFile where the audit log is kept (read at start, rewritten when it grows), or null
   * @param clock wall-clock milliseconds (tests pass their own)
   */
  public AlertVerticle(
      Collection<Rule> fileRules, Collection<Rule> apiRules, String auditFile, LongSupplier clock) {
    this.auditFile = auditFile;
    this.initialRules = List.copyOf(fileRules);
    this.initialApiRules = List.copyOf(apiRules);
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, TickSnapshot.class);
    LocalCodec.register(vertx, AlertStates.class);
    owner = context;
    return readAudit()
        .compose(
            v -> {
              long now = clock.getAsLong();
              evaluator.setFileRules(initialRules, now);
              for (Rule r : initialApiRules) {
                if (!evaluator.fromFile(r.name())) {
                  evaluator.putRule(r, now);
                }
              }
              return vertx
                  .eventBus()
                  .<TickSnapshot>localConsumer(Addresses.TICK, msg -> evaluate(msg.body()))
                  .completion();
            });
  }

  /** The audit file's entries, if there is one; a line that is not JSON is skipped. */
  private Future<Void> readAudit() {
    if (auditFile == null) {
      return Future.succeededFuture();
    }
    return vertx
        .fileSystem()
        .exists(auditFile)
        .compose(
            exists -> exists ? vertx.fileSystem().readFile(auditFile) : Future.succeededFuture())
        .map(
            buffer -> {
              if (buffer != null) {
                for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
                  try {
                    if (!line.isBlank()) {
                      evaluator.audit().append(new JsonObject(line));
                    }
                  } catch (DecodeException e) {
                    // a torn last line: the rest stays
                  }
                }
              }
              auditWritten = evaluator.audit().version();
              return null;
            });
  }

  /**
   * Writes the audit log to its file, whole (a temporary file moved over it), if it has grown since
   * the last write. One write at a time: while one is under way, changes only wait, and the write's
   * end writes again if there were any, so a burst of alert changes costs two writes and holds no
   * copy of the log per change.
   */
  private void saveAudit() {
    long version = evaluator.audit().version();
    if (auditFile == null || version == auditWritten || auditWriting) {
      return;
    }
    auditWritten = version;
    auditWriting = true;
    auditWrites++;
    Buffer text = Buffer.buffer(evaluator.audit().toJsonLines());
    vertx
        .fileSystem()
        .writeFile(auditFile + ".tmp", text)
        .compose(
            x ->
                vertx
                    .fileSystem()
                    .move(
                        auditFile + ".tmp",
                        auditFile,
                        new CopyOptions().setReplaceExisting(true).setAtomicMove(true)))
        .onFailure(e -> LOG.log(Level.WARNING, "alerts: cannot write " + auditFile, e))
        .onComplete(
            ar -> {
              auditWriting = false;
              saveAudit(); // what changed meanwhile
            });
  }

  private void evaluate(TickSnapshot tick) {
    long now = clock.getAsLong();
    publish(now, evaluator.evaluate(tick, now));
  }

  private void publish(long now, List<Notification> notifications) {
    vertx
        .eventBus()
        .publish(Addresses.ALERTS, new AlertStates(now, evaluator.alerts(now), notifications));
    saveAudit();
  }

  /**
   * Runs {@code action} on the evaluator on this verticle's thread (an action that ends no alert).
   * Completes with the action's result.
   */
  public <T> Future<T> call(Function<AlertEvaluator, T> action) {
    return change(now -> new Change<>(action.apply(evaluator), List.of()));
  }

  /** As {@link #call}, for actions that end alerts: their notifications are published. */
  public <T> Future<T> change(LongFunction<Change<T>> action) {
    return Owner.call(
        owner,
        () -> {
          long now = clock.getAsLong();
          Change<T> c = action.apply(now);
          if (!c.notifications().isEmpty()) {
            publish(now, c.notifications()); // saves the audit log too
          } else {
            saveAudit();
          }
          return c.result();
        });
  }

  /** What an action returns and the notifications it caused. */
  public record Change<T>(T result, List<Notification> notifications) {}

  /** Writes of the audit file begun since start. */
  int auditWrites() {
    return auditWrites;
  }

  /** The evaluator, for {@link #change} actions (on this verticle's thread only). */
  public AlertEvaluator evaluator() {
    return evaluator;
  }
}
