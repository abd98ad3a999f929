package dev.tally.gateway.config;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code tally check-config FILE}: reads a configuration file as the gateway would at start-up
 * ({@code --config FILE}, without flags or environment, so that the answer is the file's alone) and
 * answers with an exit code: 0 if it is valid, 2 naming every problem, as a bad configuration at
 * start-up does. For CI pipelines and systemd's {@code ExecStartPre}.
 */
public final class ConfigCheck {
  /** The command word. */
  public static final String COMMAND = "check-config";

  private ConfigCheck() {}

  /**
   * @param args what follows the command word: the file
   * @return the exit code
   */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() != 1 || args.get(0).startsWith("-")) {
      err.println("usage: java -jar tally.jar " + COMMAND + " FILE");
      return 2;
    }
    String file = args.get(0);
    if (!Files.isRegularFile(Path.of(file))) {
      err.println("tally: " + file + ": no such file");
      return 2;
    }
    try {
      ConfigLoader.Result result = ConfigLoader.load(new String[] {"--config", file}, Map.of());
      result.warnings.forEach(w -> err.println("tally: warning: " + w));
      out.println("tally: " + file + ": a valid configuration");
      return 0;
    } catch (ConfigException e) {
      err.println("tally: " + file + ": not a valid configuration:");
      e.problems().forEach(p -> err.println("  " + p));
      return 2;
    }
  }
}
