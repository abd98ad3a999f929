package dev.tally.protocol.statsd.mapping;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A statsd_exporter mapping file, read as that project documents it: {@code defaults} and {@code
 * mappings} with glob or regex matches, names and labels with captures, per-rule types, actions,
 * observer types, buckets, quantiles, TTLs and help. Globs are looked up in a trie per StatsD type
 * ({@link GlobTrie}); the regex rules are tried in file order only when no glob matched, as
 * statsd_exporter does. Immutable; {@link #map} from any thread.
 */
public final class Mappings {
  /** statsd_exporter's default quantiles (its summaries'): 0.5, 0.9 and 0.99. */
  private static final double[] DEFAULT_QUANTILES = {0.5, 0.9, 0.99};

  private static final String FIRST = "[a-zA-Z_][a-zA-Z0-9_\\-]*";
  private static final String LATER = "[a-zA-Z0-9_][a-zA-Z0-9_\\-]*";

  /** A glob, as statsd_exporter checks it: components of letters, digits, _ and -, or a *. */
  private static final Pattern GLOB =
      Pattern.compile("^(\\*|" + FIRST + ")(\\.\\*|\\." + LATER + ")*$");

  private static final String REFERENCE = "(\\$\\{?\\d+}?)";

  /** A rule's name, as statsd_exporter checks it: letters, digits, _ and references. */
  private static final Pattern NAME =
      Pattern.compile("^([a-zA-Z_]|" + REFERENCE + ")([a-zA-Z0-9_]|" + REFERENCE + ")*$");

  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

  /** Go's duration: numbers with units, such as 1h30m or 500ms, or 0. */
  private static final Pattern DURATION_PART =
      Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");

  private static final Set<String> TOP_KEYS = Set.of("defaults", "mappings");
  private static final Set<String> DEFAULTS_KEYS =
      Set.of(
          "observer_type",
          "timer_type",
          "match_type",
          "glob_disable_ordering",
          "ttl",
          "buckets",
          "quantiles",
          "summary_options",
          "histogram_options");
  private static final Set<String> RULE_KEYS =
      Set.of(
          "match",
          "name",
          "labels",
          "honor_labels",
          "observer_type",
          "timer_type",
          "match_type",
          "help",
          "action",
          "match_metric_type",
          "ttl",
          "buckets",
          "quantiles",
          "summary_options",
          "histogram_options");
  private static final Set<String> SUMMARY_KEYS =
      Set.of("quantiles", "max_age", "age_buckets", "buf_cap");
  private static final Set<String> HISTOGRAM_KEYS =
      Set.of("buckets", "native_histogram_bucket_factor", "native_histogram_max_buckets");

  private final List<MappingRule> rules;
  private final MappingRule defaults;
  private final Map<MatchType, GlobTrie> globs;
  private final List<MappingRule> regexRules;

  /** The {@code *} of each rule's glob, by rule index (0 for regex rules). */
  private final int[] stars;

  /** What tells the file's text from another's (a digest); null if unknown. */
  private final String fingerprint;

  private Mappings(
      String fingerprint,
      List<MappingRule> rules,
      MappingRule defaults,
      Map<MatchType, GlobTrie> globs,
      List<MappingRule> regexRules) {
    this.rules = List.copyOf(rules);
    this.defaults = defaults;
    this.globs = globs;
    this.regexRules = List.copyOf(regexRules);
    this.fingerprint = fingerprint;
    this.stars = new int[this.rules.size()];
    for (MappingRule r : this.rules) {
      stars[r.index()] = r.isRegex() ? 0 : countStars(r.match());
    }
  }

  /** Every rule, in file order. */
  public List<MappingRule> rules() {
    return rules;
  }

  /** The rule of names no rule matches: the file's defaults. */
  public MappingRule defaults() {
    return defaults;
  }

  /**
   * True if both were read from the same text (their fingerprints, given by the reader, are equal):
   * they map every name the same way.
   */
  public boolean sameFile(Mappings other) {
    return fingerprint != null && fingerprint.equals(other.fingerprint);
  }

  /**
   * What the file makes of StatsD name {@code name} (tags apart) of type {@code type}: the first
   * glob rule that matches (see {@link GlobTrie}), else the first regex rule that finds a match in
   * the name (not anchored, as statsd_exporter's), else the defaults with the name escaped.
   */
  public Mapped map(String name, MatchType type) {
    GlobTrie trie = globs.get(type);
    if (trie != null) {
      String[] components = split(name);
      String[] captures = new String[trie.maxStars()];
      int index = trie.match(components, captures);
      if (index >= 0) {
        MappingRule rule = rules.get(index);
        int count = stars[index];
        return mapped(rule, t -> Templates.expandGlob(t, captures, count));
      }
    }
    for (MappingRule rule : regexRules) {
      if (rule.metricType() != null && rule.metricType() != type) {
        continue;
      }
      Matcher m = rule.regex().matcher(name);
      if (m.find()) {
        return mapped(rule, t -> Templates.expandRegex(t, m, rule.groupNames()));
      }
    }
    return new Mapped(defaults, escape(name), List.of());
  }

  /** What {@code rule} makes of a name, its templates expanded by {@code expand}. */
  private static Mapped mapped(MappingRule rule, java.util.function.UnaryOperator<String> expand) {
    List<String> templates = rule.labelTemplates();
    List<String> labels = new ArrayList<>(templates.size());
    for (int i = 0; i < templates.size(); i += 2) {
      labels.add(templates.get(i));
      labels.add(expand.apply(templates.get(i + 1)));
    }
    return new Mapped(rule, escape(expand.apply(rule.nameTemplate())), labels);
  }

  /**
   * statsd_exporter's escaping of metric names: every character outside {@code [a-zA-Z0-9_]}
   * becomes {@code _}, a run of {@code -} one {@code _}, and a leading digit gets a {@code _}
   * before it. Unlike Tally's own names, runs of {@code _} stay ({@code a.*.b} gives {@code
   * a___b}).
   */
  public static String escape(String name) {
    if (name.isEmpty()) {
      return name;
    }
    StringBuilder sb = new StringBuilder(name.length() + 1);
    int prev = -1;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (sb.length() == 0 && c >= '0' && c <= '9') {
        sb.append('_');
      }
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
        sb.append((char) c);
      } else if (!(c == '-' && prev == '-')) {
        sb.append('_');
      }
      prev = c;
    }
    return sb.toString();
  }

  private static String[] split(String name) {
    return name.split("\\.", -1);
  }

  private static int countStars(String glob) {
    int n = 0;
    for (String c : split(glob)) {
      if (c.equals("*")) {
        n++;
      }
    }
    return n;
  }

  /**
   * Reads a mapping file's YAML (maps, lists and scalars; scalars best as their text) and adds
   * every problem to {@code problems}, each naming where it is ({@code mappings[2] (match "a.*"):
   * ...}).
   *
   * @return the mappings; null if there are problems
   */
  public static Mappings read(Object doc, List<String> problems) {
    return read(doc, null, problems);
  }

  /**
   * As {@link #read(Object, List)}, with {@code fingerprint} (a digest of the file's text; null if
   * unknown) to tell a file read again unchanged ({@link #sameFile}).
   */
  public static Mappings read(Object doc, String fingerprint, List<String> problems) {
    int before = problems.size();
    Map<?, ?> top = doc == null ? Map.of() : map(doc, "the file", problems);
    if (top == null) {
      return null;
    }
    unknownKeys(top, TOP_KEYS, "", problems);
    Map<?, ?> defaultsMap =
        top.get("defaults") == null ? Map.of() : map(top.get("defaults"), "defaults", problems);
    if (defaultsMap == null) {
      defaultsMap = Map.of();
    }
    unknownKeys(defaultsMap, DEFAULTS_KEYS, "defaults: ", problems);
    Settings base = new Settings();
    base.read(defaultsMap, "defaults: ", problems);
    String matchType = text(defaultsMap.get("match_type"));
    boolean defaultRegex = false;
    if (matchType != null && !matchType.isEmpty()) {
      defaultRegex = matchType(matchType, "defaults: ", problems);
    }
    Boolean disableOrdering =
        bool(defaultsMap.get("glob_disable_ordering"), "defaults: glob_disable_ordering", problems);
    boolean ordered = disableOrdering == null || !disableOrdering;
    MappingRule defaults =
        new MappingRule(
            -1,
            null,
            null,
            Map.of(),
            null,
            List.of(),
            false,
            null,
            false,
            base.observer,
            base.buckets,
            base.quantiles == null ? DEFAULT_QUANTILES : base.quantiles,
            base.ttlMillis,
            null);

    List<MappingRule> rules = new ArrayList<>();
    List<MappingRule> regexRules = new ArrayList<>();
    Map<MatchType, GlobTrie> globs = new EnumMap<>(MatchType.class);
    Object list = top.get("mappings");
    List<?> entries = list == null ? List.of() : list(list, "mappings", problems);
    for (int i = 0; entries != null && i < entries.size(); i++) {
      Map<?, ?> entry = map(entries.get(i), "mappings[" + i + "]", problems);
      if (entry == null) {
        continue;
      }
      String match = text(entry.get("match"));
      String where =
          "mappings[" + i + "]" + (match == null ? "" : " (match \"" + match + "\")") + ": ";
      MappingRule rule = readRule(i, entry, where, base, defaultRegex, problems);
      if (rule == null) {
        continue;
      }
      rules.add(rule);
      if (rule.isRegex()) {
        regexRules.add(rule);
      } else {
        String[] components = split(rule.match());
        for (MatchType t : MatchType.values()) {
          if (rule.metricType() == null || rule.metricType() == t) {
            globs.computeIfAbsent(t, k -> new GlobTrie(ordered)).add(components, i);
          }
        }
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new Mappings(fingerprint, rules, defaults, globs, regexRules);
  }

  private static MappingRule readRule(
      int index,
      Map<?, ?> entry,
      String where,
      Settings base,
      boolean defaultRegex,
      List<String> problems) {
    int before = problems.size();
    unknownKeys(entry, RULE_KEYS, where, problems);
    String match = text(entry.get("match"));
    boolean regex = defaultRegex;
    String matchType = text(entry.get("match_type"));
    if (matchType != null && !matchType.isEmpty()) {
      regex = matchType(matchType, where, problems);
    }
    Pattern pattern = null;
    Map<String, String> groupNames = new java.util.HashMap<>();
    if (match == null || match.isEmpty()) {
      problems.add(where + "match is missing");
    } else if (regex) {
      if (GO_UNGREEDY.matcher(match).find()) {
        problems.add(where + "invalid regex: the U flag (Go's ungreedy) is not supported");
      } else {
        try {
          pattern = Pattern.compile(javaRegex(match, groupNames));
        } catch (PatternSyntaxException e) {
          problems.add(where + "invalid regex: " + e.getDescription());
        }
      }
    } else if (!GLOB.matcher(match).matches()) {
      problems.add(
          where
              + "invalid match: a glob is components of letters, digits, _ and - separated by dots,"
              + " each of them or * (a whole component)");
    }
    String name = text(entry.get("name"));
    if (name == null || name.isEmpty()) {
      problems.add(where + "name is missing (statsd_exporter needs one, for drop rules too)");
    } else if (!NAME.matcher(name).matches()) {
      problems.add(
          where
              + "name '"
              + name
              + "' is not a metric name: letters, digits and _ (not first: a digit), with $1 or"
              + " ${1}");
    }
    List<String> labels = new ArrayList<>();
    Object labelsValue = entry.get("labels");
    Map<?, ?> labelMap =
        labelsValue == null ? Map.of() : map(labelsValue, where + "labels", problems);
    if (labelMap != null) {
      for (Map.Entry<?, ?> e : labelMap.entrySet()) {
        String key = String.valueOf(e.getKey());
        if (!LABEL_NAME.matcher(key).matches() || key.startsWith("__")) {
          problems.add(where + "invalid label name: " + key);
        }
        String value =
            e.getValue() instanceof Map || e.getValue() instanceof List ? null : text(e.getValue());
        if (e.getValue() != null && value == null) {
          problems.add(where + "label " + key + ": expected a text value");
        }
        labels.add(key);
        labels.add(value == null ? "" : value);
      }
    }
    Boolean honor = bool(entry.get("honor_labels"), where + "honor_labels", problems);
    MatchType metricType = null;
    String typeText = text(entry.get("match_metric_type"));
    if (typeText != null) {
      switch (typeText) {
        case "counter":
          metricType = MatchType.COUNTER;
          break;
        case "gauge":
          metricType = MatchType.GAUGE;
          break;
        case "observer":
        case "timer":
          metricType = MatchType.OBSERVER;
          break;
        default:
          problems.add(
              where + "invalid match_metric_type '" + typeText + "': counter, gauge or observer");
      }
    }
    boolean drop = false;
    String action = text(entry.get("action"));
    if (action != null && !action.isEmpty()) {
      if (action.equals("drop")) {
        drop = true;
      } else if (!action.equals("map")) {
        problems.add(where + "invalid action '" + action + "': map or drop");
      }
    }
    Settings own = new Settings();
    own.read(entry, where, problems);
    ObserverKind observer = own.observer != null ? own.observer : base.observer;
    if (observer == ObserverKind.HISTOGRAM && own.summaryOptions) {
      problems.add(where + "cannot use histogram observer and summary options at the same time");
    }
    if (observer == ObserverKind.SUMMARY && own.histogramOptions) {
      problems.add(where + "cannot use summary observer and histogram options at the same time");
    }
    // statsd_exporter: a rule's ttl 0 (or none) takes the defaults'
    long ttl = own.ttlMillis > 0 ? own.ttlMillis : base.ttlMillis;
    String help = text(entry.get("help"));
    if (problems.size() > before) {
      return null;
    }
    double[] quantiles = own.quantiles != null ? own.quantiles : base.quantiles;
    return new MappingRule(
        index,
        match,
        pattern,
        groupNames,
        name,
        labels,
        honor != null && honor,
        metricType,
        drop,
        observer,
        own.buckets != null ? own.buckets : base.buckets,
        quantiles != null ? quantiles : DEFAULT_QUANTILES,
        ttl,
        help == null || help.isEmpty() ? null : help);
  }

  /** The observer settings of the defaults or of one rule, as written there. */
  private static final class Settings {
    ObserverKind observer;
    double[] buckets;
    double[] quantiles;
    long ttlMillis = -1;
    boolean summaryOptions;
    boolean histogramOptions;

    void read(Map<?, ?> m, String where, List<String> problems) {
      String type = text(m.get("observer_type"));
      if (type == null || type.isEmpty()) {
        type = text(m.get("timer_type")); // statsd_exporter's older name
      }
      if (type != null && !type.isEmpty()) {
        switch (type) {
          case "summary":
            observer = ObserverKind.SUMMARY;
            break;
          case "histogram":
            observer = ObserverKind.HISTOGRAM;
            break;
          default:
            problems.add(where + "invalid observer_type '" + type + "': summary or histogram");
        }
      }
      Object ttl = m.get("ttl");
      if (ttl != null) {
        long t = durationMillis(text(ttl), where + "ttl", problems);
        ttlMillis = t > 0 ? t : -1;
      }
      Object summary = m.get("summary_options");
      if (summary != null) {
        summaryOptions = true;
        Map<?, ?> s = map(summary, where + "summary_options", problems);
        if (s != null) {
          unknownKeys(s, SUMMARY_KEYS, where + "summary_options: ", problems);
          quantiles = quantiles(s.get("quantiles"), where + "summary_options: quantiles", problems);
          for (String k : List.of("age_buckets", "buf_cap")) {
            if (s.get(k) != null) {
              integer(s.get(k), where + "summary_options: " + k, problems);
            }
          }
          if (s.get("max_age") != null) {
            durationMillis(text(s.get("max_age")), where + "summary_options: max_age", problems);
          }
        }
      }
      double[] legacyQuantiles = quantiles(m.get("quantiles"), where + "quantiles", problems);
      if (legacyQuantiles != null) {
        if (quantiles != null) {
          problems.add(
              where + "cannot use quantiles in both the top level and summary options at once");
        }
        quantiles = legacyQuantiles;
      }
      Object histogram = m.get("histogram_options");
      if (histogram != null) {
        histogramOptions = true;
        Map<?, ?> h = map(histogram, where + "histogram_options", problems);
        if (h != null) {
          unknownKeys(h, HISTOGRAM_KEYS, where + "histogram_options: ", problems);
          buckets = buckets(h.get("buckets"), where + "histogram_options: buckets", problems);
          if (h.get("native_histogram_bucket_factor") != null) {
            number(
                h.get("native_histogram_bucket_factor"),
                where + "histogram_options: native_histogram_bucket_factor",
                problems);
          }
          if (h.get("native_histogram_max_buckets") != null) {
            integer(
                h.get("native_histogram_max_buckets"),
                where + "histogram_options: native_histogram_max_buckets",
                problems);
          }
        }
      }
      double[] legacyBuckets = buckets(m.get("buckets"), where + "buckets", problems);
      if (legacyBuckets != null) {
        if (buckets != null) {
          problems.add(
              where + "cannot use buckets in both the top level and histogram options at once");
        }
        buckets = legacyBuckets;
      }
    }
  }

  private static double[] buckets(Object value, String where, List<String> problems) {
    if (value == null) {
      return null;
    }
    List<?> list = list(value, where, problems);
    if (list == null) {
      return null;
    }
    if (list.isEmpty()) {
      return null; // statsd_exporter: the defaults' (or its default buckets)
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      Double d = number(list.get(i), where, problems);
      if (d == null) {
        return null;
      }
      out[i] = d;
      if (!Double.isFinite(d)) {
        problems.add(where + ": bounds must be finite (+Inf is always the last bucket)");
        return null;
      }
      if (i > 0 && out[i] <= out[i - 1]) {
        problems.add(where + ": bounds must increase: " + out[i - 1] + " then " + out[i]);
        return null;
      }
    }
    return out;
  }

  private static double[] quantiles(Object value, String where, List<String> problems) {
    if (value == null) {
      return null;
    }
    List<?> list = list(value, where, problems);
    if (list == null || list.isEmpty()) {
      return null;
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      Map<?, ?> objective = map(list.get(i), where + "[" + i + "]", problems);
      if (objective == null) {
        return null;
      }
      unknownKeys(objective, Set.of("quantile", "error"), where + "[" + i + "]: ", problems);
      Double q = number(objective.get("quantile"), where + "[" + i + "]: quantile", problems);
      if (objective.get("error") != null) {
        number(objective.get("error"), where + "[" + i + "]: error", problems);
      }
      if (q == null) {
        return null;
      }
      if (!(q >= 0 && q <= 1)) {
        problems.add(where + "[" + i + "]: quantile must be between 0 and 1, was " + q);
        return null;
      }
      out[i] = q;
    }
    return java.util.Arrays.stream(out).sorted().distinct().toArray();
  }

  /** A flags group of Go's syntax that sets U: ungreedy there, Unicode classes in Java. */
  private static final Pattern GO_UNGREEDY = Pattern.compile("\\(\\?[a-zA-Z]*U[a-zA-Z]*[:)]");

  /** A named group, Go's {@code (?P<name>} or {@code (?<name>}. */
  private static final Pattern NAMED_GROUP = Pattern.compile("\\(\\?P?<([A-Za-z0-9_]+)>");

  private static final String[] POSIX = {
    "alnum", "Alnum", "alpha", "Alpha", "ascii", "ASCII", "blank", "Blank", "cntrl", "Cntrl",
    "digit", "Digit", "graph", "Graph", "lower", "Lower", "print", "Print", "punct", "Punct",
    "space", "Space", "upper", "Upper", "xdigit", "XDigit"
  };

  /**
   * A Go (RE2) regex as Java reads it: named groups renamed (Java's names are letters and digits, a
   * letter first; {@code names} gets Go's name to Java's), POSIX classes inside brackets ({@code
   * [[:alpha:]]}) as Java's {@code \p{Alpha}}.
   */
  static String javaRegex(String go, Map<String, String> names) {
    Matcher g = NAMED_GROUP.matcher(go);
    StringBuilder sb = new StringBuilder();
    int n = 0;
    while (g.find()) {
      String javaName = "g" + n++ + g.group(1).replaceAll("[^A-Za-z0-9]", "");
      names.put(g.group(1), javaName);
      g.appendReplacement(sb, Matcher.quoteReplacement("(?<" + javaName + ">"));
    }
    g.appendTail(sb);
    String out = sb.toString();
    for (int i = 0; i < POSIX.length; i += 2) {
      out =
          out.replace("[:" + POSIX[i] + ":]", "\\p{" + POSIX[i + 1] + "}")
              .replace("[:^" + POSIX[i] + ":]", "\\P{" + POSIX[i + 1] + "}");
    }
    return out.replace("[:word:]", "\\w").replace("[:^word:]", "\\W");
  }

  /** True for regex. */
  private static boolean matchType(String value, String where, List<String> problems) {
    if (value.equals("regex")) {
      return true;
    }
    if (!value.equals("glob")) {
      problems.add(where + "invalid match_type '" + value + "': glob or regex");
    }
    return false;
  }

  /**
   * A Go duration ({@code 1m30s}, {@code 500ms}) in milliseconds; -1 if bad (a problem added). A
   * bare number is refused: statsd_exporter reads it as nanoseconds, which no one means.
   */
  static long durationMillis(String text, String where, List<String> problems) {
    if (text == null) {
      problems.add(where + ": expected a duration such as 30s or 5m");
      return -1;
    }
    String s = text.trim();
    if (s.equals("0")) {
      return 0;
    }
    Matcher m = DURATION_PART.matcher(s);
    double nanos = 0;
    int at = 0;
    while (at < s.length() && m.find(at) && m.start() == at && !m.group(1).isEmpty()) {
      double n;
      try {
        n = Double.parseDouble(m.group(1));
      } catch (NumberFormatException e) {
        break;
      }
      nanos += n * unitNanos(m.group(2));
      at = m.end();
    }
    if (at != s.length() || s.isEmpty()) {
      problems.add(
          where + ": '" + text + "' is not a duration: a number and a unit (ns us ms s m h), 30s");
      return -1;
    }
    return nanos > 0 ? Math.max(1, (long) (nanos / 1_000_000)) : 0;
  }

  private static double unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return 1;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "m":
        return 60e9;
      case "h":
        return 3600e9;
      default:
        return 1e3; // us, µs
    }
  }

  private static Double number(Object value, String where, List<String> problems) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    String s = text(value);
    if (s != null) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      switch (t) {
        case ".inf":
        case "+.inf":
          return Double.POSITIVE_INFINITY;
        case "-.inf":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(t.replace("_", ""));
          } catch (NumberFormatException e) {
            // below
          }
      }
    }
    problems.add(where + ": expected a number, was '" + value + "'");
    return null;
  }

  private static void integer(Object value, String where, List<String> problems) {
    Double d = number(value, where, problems);
    if (d != null && (d < 0 || d != Math.rint(d))) {
      problems.add(where + ": expected a whole number, was '" + value + "'");
    }
  }

  private static final Set<String> TRUE =
      Set.of("true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON");
  private static final Set<String> FALSE =
      Set.of("false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF");

  private static Boolean bool(Object value, String where, List<String> problems) {
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String s = text(value);
    if (TRUE.contains(s)) {
      return true;
    }
    if (FALSE.contains(s)) {
      return false;
    }
    problems.add(where + ": expected true or false, was '" + value + "'");
    return null;
  }

  /** A scalar's text (the YAML as written when the reader keeps scalars as text); null if none. */
  private static String text(Object value) {
    return value == null || value instanceof Map || value instanceof List
        ? null
        : String.valueOf(value);
  }

  private static Map<?, ?> map(Object value, String where, List<String> problems) {
    if (value instanceof Map<?, ?> m) {
      return m;
    }
    problems.add(where + ": expected a map");
    return null;
  }

  private static List<?> list(Object value, String where, List<String> problems) {
    if (value instanceof List<?> l) {
      return l;
    }
    problems.add(where + ": expected a list");
    return null;
  }

  private static void unknownKeys(
      Map<?, ?> m, Set<String> known, String where, List<String> problems) {
    for (Object key : m.keySet()) {
      String k = String.valueOf(key);
      if (!known.contains(k)) {
        problems.add(
            where
                + "unknown key '"
                + k
                + "'"
                + (k.equals("scale") ? " (statsd_exporter's scale is not supported)" : ""));
      }
    }
  }
}
