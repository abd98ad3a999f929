package dev.tally.gateway;

import dev.tally.gateway.config.ConfigException;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.security.Tls;
import dev.tally.verticles.alert.AlertVerticle.Change;
import dev.tally.verticles.alert.PromRuleFiles;
import dev.tally.verticles.alert.Rule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Logger;

/**
 * Reloads the configuration without a restart, on SIGHUP ({@link #reload()}) or when a watched file
 * changes (the config file, the token file, the TLS files; checked every {@link #CHECK_MILLIS}).
 * The whole configuration is loaded and validated again; it is applied only if it is valid and
 * changes nothing that needs a restart (ports, threads, queues), else refused with every reason and
 * the old one stays, except the rules file's rules, which apply whenever the file is valid.
 * Applying puts the new options in force at once (tokens, allow-list, memory limit), sets the
 * series limits and makes the servers load their certificates again. Runs on the Vert.x context it
 * was started on; loading runs on a worker.
 */
public final class Reloader {
  private static final Logger LOG = Logger.getLogger(Reloader.class.getName());

  /** How often the watched files are looked at. */
  static final long CHECK_MILLIS = 1000;

  private final Vertx vertx;
  private final Components parts;
  private final Callable<TallyOptions> load;
  private long timer = -1;
  private List<String> fingerprint = List.of();
  private List<String> tlsFingerprint = List.of(); // of the certificates in force
  private boolean running;
  private List<Rule> fileRules; // the rules file's rules in force
  private List<PromRuleFiles.RuleGroup> ruleGroups; // the rule files' groups in force

  /**
   * @param load loads and validates the configuration again (as at start-up), throwing {@link
   *     ConfigException} with every problem
   */
  Reloader(Vertx vertx, Components parts, Callable<TallyOptions> load) {
    this.vertx = vertx;
    this.parts = parts;
    this.load = load;
    this.fileRules = parts.options().get().rules();
    this.ruleGroups = parts.options().get().ruleGroups();
  }

  /** Starts watching the files. */
  public Future<Void> start() {
    return vertx
        .executeBlocking(
            () -> {
              tlsFingerprint = tlsFingerprint(parts.options().get());
              return fingerprint(parts.options().get());
            })
        .map(
            f -> {
              fingerprint = f;
              timer = vertx.setPeriodic(CHECK_MILLIS, id -> check());
              return null;
            });
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Loads the configuration again now; completes with true if it was applied. Any thread. */
  public Future<Boolean> reload() {
    return vertx.executeBlocking(this::loadAndCheck).map(this::apply);
  }

  private void check() {
    if (running) {
      return;
    }
    running = true;
    vertx
        .executeBlocking(() -> fingerprint(parts.options().get()))
        .compose(
            f -> {
              if (f.equals(fingerprint)) {
                return Future.succeededFuture(false);
              }
              fingerprint = f;
              LOG.info("config: a watched file changed, reloading");
              return reload();
            })
        .onComplete(ar -> running = false);
  }

  /** The new options and their certificates' fingerprint, or null (logged, counted) if refused. */
  private Loaded loadAndCheck() {
    TallyOptions next;
    try {
      next = load.call();
    } catch (ConfigException e) {
      refuse(e.problems());
      return null;
    } catch (Exception e) {
      refuse(List.of(String.valueOf(e)));
      return null;
    }
    List<String> restart = parts.options().get().restartOnlyChanges(next);
    return new Loaded(next, tlsFingerprint(next), restart);
  }

  /** {@code restart}: the keys that changed but wait for a restart; then only rules apply. */
  private record Loaded(TallyOptions options, List<String> tls, List<String> restart) {}

  private void refuse(List<String> problems) {
    refuse(problems, "the old configuration stays");
  }

  private void refuse(List<String> problems, String outcome) {
    parts.reloads().reloaded(false);
    LOG.warning("config: reload refused, " + outcome + ":\n  " + String.join("\n  ", problems));
  }

  /**
   * Puts the rules file's rules in force if they changed since last applied (else a token or
   * certificate change would touch the rules for nothing); the rules made through the API stay.
   * True if they changed.
   */
  private boolean applyRules(TallyOptions next) {
    if (next.rules().equals(fileRules) && next.ruleGroups().equals(ruleGroups)) {
      return false;
    }
    fileRules = next.rules();
    ruleGroups = next.ruleGroups();
    parts.alerts().setGroups(next.ruleGroups());
    parts
        .alerts()
        .change(
            now -> new Change<>(null, parts.alerts().evaluator().setFileRules(next.rules(), now)));
    return true;
  }

  /**
   * Puts the new options in force, the rules file's rules if they changed and the certificates if
   * their files changed. With keys that need a restart changed, only the rules file is applied and
   * the log names the keys that wait.
   */
  private boolean apply(Loaded loaded) {
    if (loaded == null) {
      return false;
    }
    TallyOptions next = loaded.options();
    if (!loaded.restart().isEmpty()) {
      // the rules file is the user's and is read whatever else waits: a rule added by hand must
      // not wait for a restart that an unrelated key needs
      boolean rules = applyRules(next);
      List<String> problems = new ArrayList<>();
      for (String key : loaded.restart()) {
        problems.add(key + ": changed, which needs a restart");
      }
      refuse(
          problems,
          rules
              ? "the rules file was reloaded (" + next.rules().size() + " rule(s)); the rest waits"
              : "the old configuration stays");
      return false;
    }
    applyRules(next);
    parts.options().set(next);
    parts.limiter().setLimits(next.maxSeries(), next.maxSeriesPerMetric());
    if (!loaded.tls().equals(tlsFingerprint)) {
      tlsFingerprint = loaded.tls();
      vertx.eventBus().publish(Tls.RELOAD_ADDRESS, null);
    }
    parts.reloads().reloaded(true);
    LOG.info(
        "config: reloaded ("
            + next.authTokens().size()
            + " token(s), max-series "
            + next.maxSeries()
            + ", max-series-per-metric "
            + next.maxSeriesPerMetric()
            + ", "
            + next.rules().size()
            + " rule(s))");
    return true;
  }

  /** Modification time and size of every watched file ("-" if missing). */
  private static List<String> fingerprint(TallyOptions o) {
    List<String> files =
        new ArrayList<>(
            java.util.Arrays.asList(
                o.configFile(),
                o.authTokenFile(),
                o.tlsCert(),
                o.tlsKey(),
                o.tlsClientCa(),
                o.rulesFile(),
                o.statsdMappingConfig()));
    files.addAll(o.ruleFiles());
    return fingerprint(files.toArray(new String[0]));
  }

  private static List<String> tlsFingerprint(TallyOptions o) {
    return fingerprint(o.tlsCert(), o.tlsKey(), o.tlsClientCa());
  }

  private static List<String> fingerprint(String... files) {
    List<String> out = new ArrayList<>();
    for (String file : files) {
      if (file == null) {
        continue;
      }
      try {
        BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
        out.add(file + "@" + a.lastModifiedTime().toMillis() + "/" + a.size());
      } catch (IOException e) {
        out.add(file + "@-");
      }
    }
    return out;
  }
}
