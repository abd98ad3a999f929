package dev.tally.gateway.config;

import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.verticles.alert.PromRuleFiles;
import dev.tally.verticles.alert.Rule;
import dev.tally.verticles.alert.RuleException;
import dev.tally.verticles.alert.RuleParser;
import dev.tally.verticles.history.HistoryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the configuration from the command line, the environment and a YAML or JSON file, with
 * precedence flag > environment > file > default, and validates all of it before failing once with
 * every problem ({@link ConfigException}). The only reader of configuration in Tally.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** What the command line asks for. */
  public enum Action {
    RUN,
    HELP,
    VERSION
  }

  /** A loaded configuration, or the help or version request, with warnings to log. */
  public static final class Result {
    public final Action action;
    public final TallyOptions options;
    public final List<String> warnings;

    Result(Action action, TallyOptions options, List<String> warnings) {
      this.action = action;
      this.options = options;
      this.warnings = List.copyOf(warnings);
    }
  }

  /**
   * Loads the configuration.
   *
   * @param args command-line arguments: {@code --name value}, {@code --name=value}, a boolean's
   *     {@code --name} alone for true, {@code --help}, {@code --version}
   * @param env the environment ({@code System.getenv()})
   * @throws ConfigException naming every bad or unknown key
   */
  public static Result load(String[] args, Map<String, String> env) throws ConfigException {
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> flags = new HashMap<>();
    Map<String, JsonArray> repeated = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new Result(Action.HELP, null, warnings);
      }
      if (arg.equals("--version")) {
        return new Result(Action.VERSION, null, warnings);
      }
      if (!arg.startsWith("--")) {
        problems.add("unexpected argument '" + arg + "': options are --name value");
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 ? arg.substring(2, eq) : arg.substring(2);
      if (!Specs.BY_NAME.containsKey(name)) {
        problems.add("--" + name + ": unknown option (see --help)");
        if (eq < 0 && i + 1 < args.length && !args[i + 1].startsWith("--")) {
          i++;
        }
        continue;
      }
      boolean bool = Specs.BY_NAME.get(name).type == ValueType.BOOLEAN;
      if (Specs.BY_NAME.get(name).type == ValueType.TARGETS && (eq > 0 || i + 1 < args.length)) {
        // repeatable: every --export-... URL is a target
        repeated
            .computeIfAbsent(name, k -> new JsonArray())
            .add(eq > 0 ? arg.substring(eq + 1) : args[++i]);
        flags.put(name, repeated.get(name).encode());
      } else if (eq > 0) {
        flags.put(name, arg.substring(eq + 1));
      } else if (bool && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
        flags.put(name, "true"); // a switch: --cluster
      } else if (i + 1 < args.length) {
        flags.put(name, args[++i]);
      } else {
        problems.add(
            "--" + name + ": missing value, expected " + Specs.BY_NAME.get(name).type.allowed);
      }
    }
    Map<String, String> fromEnv = new HashMap<>();
    for (OptionSpec spec : Specs.ALL) {
      String v = env.get(spec.envName());
      if (v != null) {
        fromEnv.put(spec.name, v);
      }
    }
    for (String key : env.keySet()) {
      if (key.startsWith("TALLY_") && Specs.ALL.stream().noneMatch(s -> s.envName().equals(key))) {
        warnings.add("ignoring environment variable " + key + ": not a Tally option");
      }
    }
    String file =
        flags.containsKey(Specs.CONFIG) ? flags.get(Specs.CONFIG) : fromEnv.get(Specs.CONFIG);
    Map<String, String> fromFile = file == null ? Map.of() : readFile(file, problems);

    Map<String, Object> values = new HashMap<>();
    for (OptionSpec spec : Specs.ALL) {
      String raw;
      String source;
      if (flags.containsKey(spec.name)) {
        raw = flags.get(spec.name);
        source = "--" + spec.name;
      } else if (fromEnv.containsKey(spec.name)) {
        raw = fromEnv.get(spec.name);
        source = spec.envName();
      } else if (fromFile.containsKey(spec.name)) {
        raw = fromFile.get(spec.name);
        source = file;
      } else {
        raw = spec.defaultValue;
        source = "default";
      }
      if (raw == null) {
        continue;
      }
      Object value = spec.type.parseOrNull(raw);
      String bounds = value == null ? null : spec.outOfBounds(value);
      if (value == null || bounds != null) {
        problems.add(
            spec.name
                + ": '"
                + spec.shown(raw)
                + "' (from "
                + source
                + ") is not allowed: expected "
                + (value == null ? spec.type.allowed : bounds));
      } else {
        values.put(spec.name, value);
      }
    }
    checkPortsDistinct(values, problems);
    checkTls(values, problems);
    Object resolution = values.get(Specs.HISTORY_RESOLUTION);
    if (resolution instanceof Long r && r > 0 && HistoryOptions.BLOCK_MILLIS % r != 0) {
      problems.add(
          Specs.HISTORY_RESOLUTION
              + ": must divide an hour (such as 1s, 5s, 10s, 15s, 30s, 1m), was "
              + r
              + " ms");
    }
    ExportTargets.check(values, problems);
    List<String> fileTokens = readTokens((String) values.get(Specs.AUTH_TOKEN_FILE), problems);
    List<Rule> rules = new ArrayList<>(readRules((String) values.get(Specs.RULES), problems));
    PromRuleFiles.Parsed promRules = readPromRules(values.get(Specs.RULE_FILES), problems);
    if (!promRules.groups().isEmpty() && Boolean.FALSE.equals(values.get(Specs.HISTORY))) {
      problems.add(
          Specs.RULE_FILES
              + ": its rules are evaluated on the history, which history false turns off");
    }
    java.util.Set<String> tallyNames = new java.util.HashSet<>();
    rules.forEach(r -> tallyNames.add(r.name()));
    for (Rule r : promRules.alerts()) {
      if (tallyNames.contains(r.name())) {
        problems.add(
            Specs.RULE_FILES + ": alert '" + r.name() + "' is also a rule of " + Specs.RULES);
      }
      rules.add(r);
    }
    String apiFile = TallyOptions.apiRulesFile(values);
    List<Rule> apiRules =
        apiFile != null && java.nio.file.Files.exists(java.nio.file.Path.of(apiFile))
            ? readRules(apiFile, problems)
            : List.of();
    if (apiFile != null && apiFile.equals(values.get(Specs.RULES))) {
      problems.add(Specs.API_RULES + ": must not be the rules file, which Tally never writes");
    }
    Mappings mappings = readMappings((String) values.get(Specs.STATSD_MAPPING_CONFIG), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Result(
        Action.RUN,
        new TallyOptions(values, fileTokens, rules, apiRules, promRules.groups(), mappings),
        warnings);
  }

  /** The {@code --help} text, generated from {@link Specs#ALL}. */
  public static String help() {
    StringBuilder sb =
        new StringBuilder()
            .append("Usage: java -jar tally.jar [--name value ...]\n")
            .append(
                "       java -jar tally.jar check-config FILE   (exit 0 if valid, else 2 naming every problem)\n\n")
            .append(
                "Every option also comes from the environment (TALLY_ + name in upper case, _ for -)\n")
            .append(
                "and from the --config file; precedence: flag > environment > file > default.\n\n");
    for (OptionSpec spec : Specs.ALL) {
      String left = "  --" + spec.name + " " + spec.type.placeholder;
      sb.append(left).append(" ".repeat(Math.max(1, 36 - left.length()))).append(spec.help);
      if (spec.defaultValue != null) {
        sb.append(" (default ").append(spec.defaultValue).append(')');
      }
      sb.append('\n');
    }
    sb.append(String.format("%-36s%s%n", "  --help", "print this help"));
    sb.append(String.format("%-36s%s%n", "  --version", "print the version"));
    return sb.toString();
  }

  /**
   * A configuration file with every option commented out at its default, each under its help, and
   * whether a reload applies it: the {@code conf/tally.yaml} of the distribution (a test keeps the
   * shipped file equal to this text).
   */
  public static String commentedConfig() {
    StringBuilder sb =
        new StringBuilder()
            .append("# Tally's configuration: every option, commented out at its default.\n")
            .append("# Uncomment and change what you need. Precedence: flag > environment\n")
            .append("# (TALLY_ + the name in upper case, _ for -) > this file > default.\n")
            .append("# Check a file with: tally check-config FILE (exit 0, or 2 naming every\n")
            .append("# problem). SIGHUP or a change to this file reloads it; options marked\n")
            .append("# \"restart\" take effect only at the next start.\n");
    for (OptionSpec spec : Specs.ALL) {
      if (spec.name.equals(Specs.CONFIG)) {
        continue; // the file itself
      }
      sb.append('\n');
      for (String line : wrap(spec.help, 76)) {
        sb.append("# ").append(line).append('\n');
      }
      sb.append("# (").append(applied(spec)).append("; ").append(spec.type.allowed).append(")\n");
      sb.append("#")
          .append(spec.name)
          .append(':')
          .append(spec.defaultValue == null ? "" : " " + yamlScalar(spec.defaultValue))
          .append('\n');
    }
    return sb.toString();
  }

  /** The configuration file's format, in the options reference. */
  private static final String CONFIG_FILE_FORMAT =
      """
      The configuration file is YAML (JSON, a subset, works too): a map from option names, without
      the dashes, to values written as on the command line. A list may be a YAML sequence or one
      comma-separated string. Sizes take `KiB` or `MiB`, durations `ms`, `s`, `m` or `h`. The
      distribution's `conf/tally.yaml` lists every option, commented out at its default.

      ```yaml
      http-port: 8080
      statsd-port: 8125
      tick: 1s
      max-series: 200000
      series-ttl: 15m
      statsd-allow: [127.0.0.1, 10.0.0.0/8]
      shard-queue-bytes: 8MiB
      ```

      """;

  /**
   * The options reference ({@code docs/OPTIONS.md}): every key with its flag, environment variable,
   * default, allowed values and whether a reload applies it (a test keeps the file equal to this).
   */
  public static String optionsReference() {
    StringBuilder sb =
        new StringBuilder()
            .append("# Options\n\n")
            .append(
                "Generated from the gateway's option table (`ReferenceTest` keeps this file equal")
            .append(" to it).\nEvery option is a flag (`--name value`), an environment variable")
            .append(
                " (`TALLY_` + the name in\nupper case, `_` for `-`) and a key of the `--config`")
            .append(
                " YAML or JSON file. Precedence: flag >\nenvironment > file > default. A bad value")
            .append(" or unknown key stops start-up with exit code 2,\nnaming every problem;")
            .append(
                " `tally check-config FILE` checks a file the same way. *reload*: a\nreload (SIGHUP,")
            .append(
                " or a change to the file) applies it; *restart*: only the next start does.\n\n")
            .append(CONFIG_FILE_FORMAT)
            .append("| option | environment | default | values | applied | what |\n")
            .append("|---|---|---|---|---|---|\n");
    for (OptionSpec spec : Specs.ALL) {
      sb.append("| `--")
          .append(spec.name)
          .append("` | `")
          .append(spec.envName())
          .append("` | ")
          .append(spec.defaultValue == null ? "" : "`" + spec.defaultValue + "`")
          .append(" | ")
          .append(spec.type.allowed.replace("|", "\\|"))
          .append(bounds(spec))
          .append(" | ")
          .append(applied(spec))
          .append(" | ")
          .append(spec.help.replace("|", "\\|"))
          .append(" |\n");
    }
    return sb.toString();
  }

  /** When a change of the option applies: at a reload, or at the next start. */
  private static String applied(OptionSpec spec) {
    return TallyOptions.RELOADABLE.contains(spec.name) ? "reload" : "restart";
  }

  private static String bounds(OptionSpec spec) {
    boolean low = spec.min != Long.MIN_VALUE;
    boolean high = spec.max != Long.MAX_VALUE;
    if (!low && !high) {
      return "";
    }
    String unit =
        spec.type == ValueType.DURATION
            ? " ms"
            : spec.type == ValueType.SIZE || spec.type == ValueType.BYTES ? " bytes" : "";
    return "; here "
        + (low ? "at least " + spec.min + unit : "")
        + (low && high ? " and " : "")
        + (high ? "at most " + spec.max + unit : "");
  }

  private static String yamlScalar(String value) {
    return value.matches("[A-Za-z0-9_./:@%+-]+") ? value : "'" + value.replace("'", "''") + "'";
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /** The document of a YAML or JSON file; null (with a problem) if it cannot be read. */
  private static Object readYaml(String file, List<String> problems) {
    try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException e) {
      problems.add("config: cannot read '" + file + "': " + e);
    } catch (YAMLException e) {
      problems.add(
          "config: '" + file + "' is not valid YAML or JSON: " + e.getMessage().replace('\n', ' '));
    }
    return null;
  }

  private static Map<String, String> readFile(String file, List<String> problems) {
    Object doc = readYaml(file, problems);
    if (doc == null) {
      return Map.of();
    }
    if (!(doc instanceof Map)) {
      problems.add("config: '" + file + "' must hold a map of option names to values");
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<?, ?> e : ((Map<?, ?>) doc).entrySet()) {
      String key = String.valueOf(e.getKey());
      Object v = e.getValue();
      if (!Specs.BY_NAME.containsKey(key) || key.equals(Specs.CONFIG)) {
        problems.add(key + ": unknown key in " + file);
      } else if (Specs.BY_NAME.get(key).type == ValueType.TARGETS
          && (v instanceof List || v instanceof String)) {
        out.put(
            key,
            new JsonArray(v instanceof List ? (List<?>) stringKeysIn(v) : List.of(v)).encode());
      } else if (v instanceof List && Specs.BY_NAME.get(key).type.isList()) {
        List<String> names = new ArrayList<>();
        for (Object name : (List<?>) v) {
          names.add(String.valueOf(name));
        }
        out.put(key, String.join(",", names)); // a YAML list of names, as the flag's list
      } else if (v == null || v instanceof Map || v instanceof List) {
        problems.add(
            key
                + ": '"
                + Specs.BY_NAME.get(key).shown(v)
                + "' (from "
                + file
                + ") is not allowed: expected "
                + Specs.BY_NAME.get(key).type.allowed);
      } else {
        out.put(key, String.valueOf(v));
      }
    }
    return out;
  }

  /** A certificate needs its key and the other way round; client CAs need a certificate. */
  private static void checkTls(Map<String, Object> values, List<String> problems) {
    boolean cert = values.containsKey(Specs.TLS_CERT);
    boolean key = values.containsKey(Specs.TLS_KEY);
    if (cert != key) {
      problems.add(
          (cert ? Specs.TLS_KEY : Specs.TLS_CERT)
              + ": missing: "
              + Specs.TLS_CERT
              + " and "
              + Specs.TLS_KEY
              + " go together");
    }
    if (values.containsKey(Specs.TLS_CLIENT_CA) && !cert) {
      problems.add(Specs.TLS_CLIENT_CA + ": needs " + Specs.TLS_CERT + " and " + Specs.TLS_KEY);
    }
    for (String k : List.of(Specs.TLS_CERT, Specs.TLS_KEY, Specs.TLS_CLIENT_CA)) {
      Object path = values.get(k);
      if (path != null && !Files.isReadable(Path.of((String) path))) {
        problems.add(k + ": cannot read '" + path + "'");
      }
    }
  }

  /**
   * The tokens of a token file: one per line, blank lines and {@code #} comments skipped; empty if
   * there is no file.
   */
  private static List<String> readTokens(String file, List<String> problems) {
    if (file == null) {
      return List.of();
    }
    List<String> tokens = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        if (t.chars().anyMatch(Character::isWhitespace)) {
          problems.add(
              Specs.AUTH_TOKEN_FILE + ": a line of '" + file + "' holds a token with a space");
          continue;
        }
        tokens.add(t);
      }
    } catch (IOException e) {
      problems.add(Specs.AUTH_TOKEN_FILE + ": cannot read '" + file + "': " + e);
      return List.of();
    }
    if (tokens.isEmpty()) {
      problems.add(Specs.AUTH_TOKEN_FILE + ": '" + file + "' holds no token");
    }
    return tokens;
  }

  /**
   * A statsd_exporter mapping file, every problem named ({@code statsd-mapping-config: m.yml:
   * mappings[2] (match "a.*"): ...}); null for none. Read as statsd_exporter reads it: scalars as
   * written (a label {@code code: 200} is "200", not a number), a key given twice an error.
   */
  private static Mappings readMappings(String file, List<String> problems) {
    if (file == null) {
      return null;
    }
    String where = Specs.STATSD_MAPPING_CONFIG + ": " + file + ": ";
    Object doc;
    String fingerprint;
    LoaderOptions loader = new LoaderOptions();
    loader.setAllowDuplicateKeys(false);
    try {
      byte[] bytes = Files.readAllBytes(Path.of(file));
      fingerprint =
          java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
      doc =
          new Yaml(
                  new SafeConstructor(loader),
                  new org.yaml.snakeyaml.representer.Representer(
                      new org.yaml.snakeyaml.DumperOptions()),
                  new org.yaml.snakeyaml.DumperOptions(),
                  loader,
                  new TextScalars())
              .load(new String(bytes, StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JVM has SHA-256
    } catch (IOException e) {
      problems.add(where + "cannot read it: " + e);
      return null;
    } catch (YAMLException e) {
      problems.add(where + "not valid YAML: " + e.getMessage().replace('\n', ' '));
      return null;
    }
    List<String> found = new ArrayList<>();
    Mappings mappings = Mappings.read(doc, fingerprint, found);
    for (String p : found) {
      problems.add(where + p);
    }
    return mappings;
  }

  /**
   * A YAML resolver that keeps plain scalars as their text (no numbers or booleans): only nulls
   * ({@code ~}, {@code null}, nothing) and merge keys ({@code <<}) are resolved, as go-yaml reads
   * them into strings.
   */
  private static final class TextScalars extends org.yaml.snakeyaml.resolver.Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null);
    }
  }

  /** Prometheus rule files, every problem named ({@code rule-files: f.yml: group 1 "g": ...}). */
  private static PromRuleFiles.Parsed readPromRules(Object files, List<String> problems) {
    if (!(files instanceof List<?> entries) || entries.isEmpty()) {
      return PromRuleFiles.Parsed.EMPTY;
    }
    List<String> list = new ArrayList<>();
    for (Object entry : entries) {
      try {
        list.addAll(expand(String.valueOf(entry)));
      } catch (IllegalArgumentException e) {
        problems.add(Specs.RULE_FILES + ": " + e.getMessage());
      }
    }
    Map<String, Object> documents = new java.util.LinkedHashMap<>();
    for (Object f : list) {
      List<String> readProblems = new ArrayList<>();
      Object doc = readYaml(String.valueOf(f), readProblems);
      for (String p : readProblems) {
        problems.add(Specs.RULE_FILES + ": " + p);
      }
      if (readProblems.isEmpty()) {
        documents.put(String.valueOf(f), doc);
      }
    }
    List<String> ruleProblems = new ArrayList<>();
    PromRuleFiles.Parsed parsed = PromRuleFiles.read(documents, ruleProblems);
    for (String p : ruleProblems) {
      problems.add(Specs.RULE_FILES + ": " + p);
    }
    return parsed;
  }

  /**
   * The files of a {@code rule-files} entry: itself, or the files its glob ({@code *}, {@code ?},
   * {@code [..]}, {@code {a,b}} in the file name) matches, sorted; none when none matches, as
   * Prometheus' {@code rule_files} do.
   *
   * @throws IllegalArgumentException for a glob in a directory's name
   */
  static List<String> expand(String entry) {
    java.nio.file.Path p = java.nio.file.Path.of(entry);
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    java.nio.file.Path dir = p.getParent() == null ? java.nio.file.Path.of(".") : p.getParent();
    if (isGlob(dir.toString())) {
      throw new IllegalArgumentException("'" + entry + "': a glob only in the file name");
    }
    if (!isGlob(name)) {
      return List.of(entry);
    }
    java.nio.file.PathMatcher m =
        java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + name);
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      files
          .filter(f -> java.nio.file.Files.isRegularFile(f) && m.matches(f.getFileName()))
          .map(f -> p.getParent() == null ? f.getFileName().toString() : f.toString())
          .sorted()
          .forEach(out::add);
    } catch (java.io.IOException e) {
      return List.of(); // no such directory: nothing matches
    }
    return out;
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /**
   * The rules of a rules file: a YAML or JSON list of rules, or a map whose {@code rules} key holds
   * one; every problem of every rule is reported, with its rule's place and name.
   */
  private static List<Rule> readRules(String file, List<String> problems) {
    if (file == null) {
      return List.of();
    }
    Object doc = readYaml(file, problems);
    if (doc instanceof Map && ((Map<?, ?>) doc).keySet().equals(java.util.Set.of("rules"))) {
      doc = ((Map<?, ?>) doc).get("rules");
    }
    if (doc == null) {
      return List.of();
    }
    if (!(doc instanceof List)) {
      problems.add(Specs.RULES + ": '" + file + "' must hold a list of rules");
      return List.of();
    }
    List<Rule> rules = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    int index = 0;
    for (Object item : (List<?>) doc) {
      index++;
      String where = Specs.RULES + ": rule " + index + " of '" + file + "'";
      if (!(item instanceof Map)) {
        problems.add(where + " is not a map");
        continue;
      }
      JsonObject json = new JsonObject(stringKeys((Map<?, ?>) item));
      try {
        Rule rule = RuleParser.parse(json);
        if (!names.add(rule.name())) {
          problems.add(where + " ('" + rule.name() + "'): name: used by an earlier rule");
        }
        rules.add(rule);
      } catch (RuleException e) {
        for (RuleException.FieldError error : e.errors()) {
          problems.add(
              where
                  + " ('"
                  + json.getValue("name")
                  + "'): "
                  + error.field()
                  + ": "
                  + error.message());
        }
      }
    }
    return rules;
  }

  /** A YAML map with its keys as strings (YAML allows others), nested maps and lists too. */
  private static Map<String, Object> stringKeys(Map<?, ?> yaml) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    yaml.forEach((k, v) -> out.put(String.valueOf(k), stringKeysIn(v)));
    return out;
  }

  private static Object stringKeysIn(Object v) {
    if (v instanceof Map) {
      return stringKeys((Map<?, ?>) v);
    }
    if (v instanceof List) {
      List<Object> out = new ArrayList<>();
      ((List<?>) v).forEach(x -> out.add(stringKeysIn(x)));
      return out;
    }
    return v;
  }

  private static void checkPortsDistinct(Map<String, Object> values, List<String> problems) {
    String[] tcp = {
      Specs.HTTP_PORT, Specs.OTLP_GRPC_PORT, Specs.OTLP_HTTP_PORT, Specs.STATSD_TCP_PORT
    };
    for (int i = 0; i < tcp.length; i++) {
      for (int j = i + 1; j < tcp.length; j++) {
        Object a = values.get(tcp[i]);
        if (a != null && !a.equals(0) && a.equals(values.get(tcp[j]))) {
          problems.add(tcp[j] + ": " + a + " is already the " + tcp[i] + "; TCP ports must differ");
        }
      }
    }
  }
}
