package dev.tally.gateway;

import dev.tally.gateway.config.ConfigCheck;
import dev.tally.gateway.config.ConfigException;
import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.TallyOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code java -jar tally.jar}: loads the configuration (exit 2 naming every bad key), starts the
 * gateway, logs the chosen ports in one line, reloads the configuration on SIGHUP or when its files
 * change (see {@link Reloader}), and on SIGTERM or SIGINT stops receiving, answers the requests in
 * flight, publishes what is aggregated, serves it to a last scrape for up to {@code shutdown-grace}
 * and exits 0 within that grace and {@link #STOP_SECONDS} seconds.
 */
public final class TallyMain {
  /** Longest graceful stop before the process exits anyway. */
  static final int STOP_SECONDS = 8;

  private TallyMain() {}

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
    }
    if (args.length > 0 && args[0].equals(ConfigCheck.COMMAND)) {
      System.exit(
          ConfigCheck.run(
              java.util.Arrays.asList(args).subList(1, args.length), System.out, System.err));
      return;
    }
    Logger log = Logger.getLogger(TallyMain.class.getName());
    ConfigLoader.Result config;
    try {
      config = ConfigLoader.load(args, System.getenv());
    } catch (ConfigException e) {
      System.err.println("tally: bad configuration, not starting:");
      e.problems().forEach(p -> System.err.println("  " + p));
      System.exit(2);
      return;
    }
    switch (config.action) {
      case HELP:
        System.out.print(ConfigLoader.help());
        return;
      case VERSION:
        System.out.println("tally " + version());
        return;
      default:
        break;
    }
    config.warnings.forEach(log::warning);
    // a SIGHUP during start-up (systemd's reload, the warm-up's seconds) would otherwise take the
    // JVM's default action and end the process: it is kept and applied once the reloader runs
    AtomicBoolean hupDuringStart = new AtomicBoolean();
    // a process started with SIGHUP ignored (nohup) keeps it ignored: the JVM installs no handler
    boolean hupIgnored =
        Signal.handle(new Signal("HUP"), signal -> hupDuringStart.set(true))
            == SignalHandler.SIG_IGN;
    TallyOptions options = config.options;
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx;
    if (options.cluster()) {
      try {
        vertx = GatewayVertx.createClustered(options, meters).await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.log(Level.SEVERE, "tally: could not join the cluster: " + e.getMessage(), e);
        System.exit(1);
        return;
      }
    } else {
      vertx = GatewayVertx.create(options, meters);
    }
    Gateway gateway;
    try {
      gateway = Gateway.start(vertx, options, meters).await(30, TimeUnit.SECONDS);
    } catch (PortCheck.Unavailable e) {
      log.severe("tally: could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    } catch (Exception e) {
      log.log(Level.SEVERE, "tally: could not start: " + e.getMessage(), e);
      vertx.close();
      System.exit(1);
      return;
    }
    Reloader reloader;
    try {
      reloader =
          gateway
              .watchConfig(() -> ConfigLoader.load(args, System.getenv()).options)
              .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.log(Level.SEVERE, "tally: could not watch the configuration: " + e.getMessage(), e);
      vertx.close();
      System.exit(1);
      return;
    }
    if (hupIgnored) {
      log.info(
          "tally: SIGHUP is ignored by this process (started under nohup?): the configuration is"
              + " reloaded only when its files change");
    } else {
      Signal.handle(new Signal("HUP"), signal -> reloader.reload());
    }
    if (hupDuringStart.get()) {
      log.info("tally: SIGHUP received during start-up; reloading now");
      reloader.reload();
    }
    log.info(gateway.listeningLine());
    CountDownLatch stopped = new CountDownLatch(1);
    SignalHandler stop =
        signal -> {
          if (stopped.getCount() == 0) {
            return;
          }
          log.info("tally: SIGTERM/SIGINT received, stopping");
          try {
            gateway
                .stop()
                .compose(v -> vertx.close())
                .await(STOP_SECONDS * 1000L + options.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            log.log(Level.WARNING, "tally: graceful stop incomplete, exiting anyway", e);
          }
          stopped.countDown();
          System.exit(0);
        };
    Signal.handle(new Signal("TERM"), stop);
    Signal.handle(new Signal("INT"), stop);
  }

  /** The version from the jar's build ({@code version.properties}). */
  static String version() {
    try (InputStream in = TallyMain.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
