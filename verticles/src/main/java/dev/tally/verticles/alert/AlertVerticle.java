package dev.tally.verticles.alert;

import dev.tally.protocol.promql.Labels;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.Owner;
import dev.tally.verticles.history.RecordedSamples;
import dev.tally.verticles.query.QueryEngine;
import dev.tally.verticles.query.QueryException;
import dev.tally.verticles.query.QueryResult;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The owner of the {@link AlertEvaluator}: it evaluates the rules on each assembled tick ({@link
 * Addresses#TICK}), and publishes an {@link AlertStates} on {@link Addresses#ALERTS}. It also runs
 * the groups of the Prometheus rule files on the history: when the history has written a time's
 * samples ({@link Addresses#HISTORY_APPENDED}), each group due (every {@code interval}, aligned; at
 * every history sample without one) has its rules evaluated at that time in order, alerting rules'
 * results going to the evaluator and recording rules' to the history ({@link
 * Addresses#HISTORY_RECORD}, as the group's source). Other threads reach the evaluator only through
 * {@link #call}, which runs on this verticle's context, so every change to rules, alerts and
 * silences happens on one thread.
 */
public final class AlertVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(AlertVerticle.class.getName());

  private final LongSupplier clock;
  private final AlertEvaluator evaluator = new AlertEvaluator();
  private TickSnapshot latest; // the last tick evaluated, for previews; on this verticle's thread
  private final List<Rule> initialRules;
  private final List<Rule> initialApiRules;
  private final String auditFile;
  private long auditWritten;
  private boolean auditWriting; // a write is under way
  private volatile int auditWrites; // written by this verticle's thread only
  private volatile Context owner;
  private final Supplier<QueryEngine> engine;
  private volatile List<PromRuleFiles.RuleGroup> groups;
  private final Map<String, Long> nextRun = new HashMap<>(); // group name → time it is due
  private final Map<String, String> failing = new HashMap<>(); // rule → its last error, logged

  /**
   * @param fileRules the rules file's rules
   * @param apiRules the rules made through the API before (their own file); one named as a file
   *     rule is left out
   * @param auditFile where the audit log is kept (read at start, rewritten when it grows), or null
   * @param clock wall-clock milliseconds (tests pass their own)
   */
  public AlertVerticle(
      Collection<Rule> fileRules, Collection<Rule> apiRules, String auditFile, LongSupplier clock) {
    this(fileRules, apiRules, auditFile, clock, List.of(), () -> null);
  }

  /**
   * @param groups the rule files' groups (their alerting rules among {@code fileRules})
   * @param engine PromQL over the history; null while there is none
   */
  public AlertVerticle(
      Collection<Rule> fileRules,
      Collection<Rule> apiRules,
      String auditFile,
      LongSupplier clock,
      List<PromRuleFiles.RuleGroup> groups,
      Supplier<QueryEngine> engine) {
    this.groups = List.copyOf(groups);
    this.engine = engine;
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
              LocalCodec.register(vertx, RecordedSamples.class);
              return Future.all(
                  vertx
                      .eventBus()
                      .<TickSnapshot>localConsumer(Addresses.TICK, msg -> evaluate(msg.body()))
                      .completion(),
                  vertx
                      .eventBus()
                      .<Long>localConsumer(Addresses.HISTORY_APPENDED, msg -> runGroups(msg.body()))
                      .completion());
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
    latest = tick;
    long now = clock.getAsLong();
    publish(now, evaluator.evaluate(tick, now));
  }

  /** Replaces the rule files' groups (on reload); their alerting rules are set apart. */
  public void setGroups(List<PromRuleFiles.RuleGroup> next) {
    groups = List.copyOf(next);
  }

  /** Runs each group due at {@code time}, the time of the history's latest samples. */
  private void runGroups(long time) {
    QueryEngine e = engine.get();
    if (e == null || groups.isEmpty()) {
      return;
    }
    long now = clock.getAsLong();
    List<Notification> notes = new ArrayList<>();
    for (PromRuleFiles.RuleGroup g : groups) {
      Long due = nextRun.get(g.name());
      if (due != null && time < due) {
        continue;
      }
      long interval = g.intervalMillis();
      nextRun.put(
          g.name(), interval <= 0 ? time + 1 : Math.floorDiv(time, interval) * interval + interval);
      notes.addAll(runGroup(e, g, time, now));
    }
    nextRun.keySet().retainAll(groups.stream().map(PromRuleFiles.RuleGroup::name).toList());
    if (!notes.isEmpty()) {
      publish(now, notes);
    }
  }

  private List<Notification> runGroup(
      QueryEngine e, PromRuleFiles.RuleGroup g, long time, long now) {
    List<Notification> notes = new ArrayList<>();
    List<Labels> recorded = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (PromRuleFiles.GroupRule r : g.rules()) {
      Map<Labels, Double> result;
      try {
        result = samples(e.instant(r.expr(), time, 0));
        failing.remove(r.exprText());
      } catch (QueryException ex) {
        if (!ex.getMessage().equals(failing.put(r.exprText(), ex.getMessage()))) {
          LOG.warning("rule group " + g.name() + ": " + r.exprText() + ": " + ex.getMessage());
        }
        continue;
      }
      if (r.record() == null) {
        notes.addAll(evaluator.evaluateQuery(r.ruleName(), result, now));
        continue;
      }
      for (Map.Entry<Labels, Double> s : result.entrySet()) {
        Labels.Builder b = s.getKey().toBuilder().set(Labels.NAME, r.record());
        r.labels().forEach(b::set);
        recorded.add(b.build());
        values.add(s.getValue());
      }
    }
    if (g.rules().stream().anyMatch(r -> r.record() != null)) {
      double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
      vertx
          .eventBus()
          .send(Addresses.HISTORY_RECORD, new RecordedSamples(g.source(), time, recorded, v));
    }
    return notes;
  }

  /** A result's samples by labels: a vector's, or a scalar as one sample without labels. */
  private static Map<Labels, Double> samples(QueryResult r) {
    Map<Labels, Double> out = new LinkedHashMap<>();
    if (r instanceof QueryResult.Scalar s) {
      out.put(Labels.EMPTY, s.value());
    } else if (r instanceof QueryResult.Vector v) {
      for (QueryResult.Points p : v.series()) {
        out.put(p.labels(), p.values()[0]);
      }
    }
    return out;
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

  /**
   * What {@code rule} takes of the latest tick, on this verticle's thread (nothing before the first
   * tick).
   */
  public Future<AlertEvaluator.Previews> preview(Rule rule) {
    return call(
        e ->
            latest == null
                ? new AlertEvaluator.Previews(List.of(), 0)
                : AlertEvaluator.preview(rule, latest));
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
