package dev.tally.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar started as a user starts it, in its own JVM: its output is kept, its start-up
 * line gives the ports.
 */
public final class GatewayProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "tally.jar");
  static final Pattern LISTENING =
      Pattern.compile(
          "tally listening http=(\\d+) statsd=(\\d+) otlp-grpc=(\\d+) otlp-http=(\\d+)");

  /** The longest a start may take before it counts as hung. */
  public static final int START_SECONDS = 120;

  private final Process process;
  private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
  private int[] ports;
  private volatile boolean frozen;

  private GatewayProcess(Process process) {
    this.process = process;
  }

  /**
   * Starts {@code java <jvm> -jar tally.jar <args>} with the environment's {@code TALLY_*}
   * variables replaced by {@code env}.
   */
  public static Process start(List<String> jvm, Map<String, String> env, String... args)
      throws IOException {
    return start(List.of(), jvm, env, args);
  }

  /**
   * As {@link #start(List, Map, String...)}, the command run by {@code launcher} (e.g. taskset).
   */
  static Process start(
      List<String> launcher, List<String> jvm, Map<String, String> env, String... args)
      throws IOException {
    assertThat(JAR).as("the packaged jar").exists();
    List<String> cmd = new ArrayList<>(launcher);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.addAll(List.of("-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    boolean command = args.length > 0 && !args[0].startsWith("--"); // check-config, --help...
    if (!command && !List.of(args).contains("--data-dir")) { // each its own history, not ./data
      cmd.addAll(List.of("--data-dir", Files.createTempDirectory("tally-data").toString()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("TALLY_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true); // the log (JUL) goes to stderr
    return pb.start();
  }

  /**
   * Starts a gateway on 127.0.0.1 with free ports and {@code -Xmx256m} (or the given JVM options)
   * and waits for its start-up line (see {@link #START_SECONDS}).
   */
  public static GatewayProcess run(List<String> jvm, String... args) throws Exception {
    List<String> all = new ArrayList<>(TestGateway.FREE_PORTS);
    all.addAll(List.of("--bind", "127.0.0.1"));
    all.addAll(List.of("--shutdown-grace", "0s")); // no final scrape to wait for (args may say)
    all.addAll(List.of("--statsd-warm-up", "0s")); // starts sooner (args may say)
    all.addAll(List.of(args));
    return started(start(jvm, Map.of(), all.toArray(new String[0])));
  }

  /**
   * Starts {@code command}, a launcher that runs the gateway (the distribution's {@code
   * bin/tally}), with its error output merged, and waits for the start-up line.
   */
  public static GatewayProcess launch(ProcessBuilder command) throws Exception {
    return started(command.redirectErrorStream(true).start());
  }

  private static GatewayProcess started(Process process) throws Exception {
    GatewayProcess p = new GatewayProcess(process);
    try {
      p.ports = p.awaitPorts();
    } catch (Exception | AssertionError e) {
      p.kill(); // never started as asked: not left running
      throw e;
    }
    return p;
  }

  private int[] awaitPorts() throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<int[]> found = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                for (String l; (l = out.readLine()) != null; ) {
                  output.add(l);
                  Matcher m = LISTENING.matcher(l);
                  if (m.find()) {
                    found.complete(
                        new int[] {
                          Integer.parseInt(m.group(1)),
                          Integer.parseInt(m.group(2)),
                          Integer.parseInt(m.group(3)),
                          Integer.parseInt(m.group(4))
                        });
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
              found.complete(null);
            },
            "gateway-output");
    reader.setDaemon(true);
    reader.start();
    // waits for the start-up line as long as the process lives (its exit ends the wait at once,
    // with its output): several gateways starting together on a busy 2-core machine (JIT, class
    // loading, Hazelcast) took more than 30 s; the bound only stops a start that hangs
    int[] p = found.get(START_SECONDS, TimeUnit.SECONDS);
    assertThat(p).as("start-up line; output:\n" + String.join("\n", output)).isNotNull();
    return p;
  }

  public Process process() {
    return process;
  }

  public int httpPort() {
    return ports[0];
  }

  public int statsdPort() {
    return ports[1];
  }

  public int otlpGrpcPort() {
    return ports[2];
  }

  public int otlpHttpPort() {
    return ports[3];
  }

  /** Everything the process has printed so far. */
  public String output() {
    return String.join("\n", output);
  }

  /** Freezes the process (SIGSTOP): it holds its sockets open and answers nothing. */
  public void freeze() throws Exception {
    frozen = true;
    assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor())
        .isZero();
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public void kill() throws Exception {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (frozen) {
      kill(); // a stopped process does not take SIGTERM
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
