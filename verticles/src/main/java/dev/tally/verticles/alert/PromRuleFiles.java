package dev.tally.verticles.alert;

import dev.tally.protocol.model.Durations;
import dev.tally.protocol.promql.Expr;
import dev.tally.protocol.promql.ParseException;
import dev.tally.protocol.promql.Parser;
import dev.tally.protocol.promql.PromDurations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads rule files in Prometheus' format ({@code groups:} of {@code record:} and {@code alert:}
 * rules with {@code expr}, {@code for}, {@code labels}, {@code annotations}), already parsed from
 * YAML into maps and lists, checking what Prometheus' {@code rulefmt} checks and naming every
 * problem at once ({@code file: group "g", rule 2: ...}). Alerting rules become {@link Rule}s with
 * an expression (names made unique: a second {@code HighLatency} is {@code HighLatency #2}, its
 * {@code alertname} label stays {@code HighLatency}); each group keeps its rules in order for its
 * evaluation.
 */
public final class PromRuleFiles {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "rules");
  private static final Set<String> RULE_KEYS =
      Set.of("record", "alert", "expr", "for", "labels", "annotations", "keep_firing_for");

  /** One rule of a group, in its order: a recording ({@code record} set) or an alert. */
  public record GroupRule(
      String record, String ruleName, String exprText, Expr expr, Map<String, String> labels) {}

  /**
   * A group: evaluated every {@code intervalMillis} (0: at every history sample), its rules in
   * order.
   */
  public record RuleGroup(String name, long intervalMillis, List<GroupRule> rules) {
    /** The history source of its recordings: stable across restarts, never 0 (the ticks'). */
    public int source() {
      return 1 + (name.hashCode() & 0x3fffffff);
    }
  }

  /** What the files hold. */
  public record Parsed(List<RuleGroup> groups, List<Rule> alerts) {
    public static final Parsed EMPTY = new Parsed(List.of(), List.of());
  }

  private final List<RuleGroup> groups = new ArrayList<>();
  private final List<Rule> alerts = new ArrayList<>();
  private final Set<String> groupNames = new HashSet<>();
  private final Map<String, Integer> alertNames = new LinkedHashMap<>();

  /** Reads each file's document ({@code file name → YAML}); problems go to {@code problems}. */
  public static Parsed read(Map<String, Object> documents, List<String> problems) {
    PromRuleFiles r = new PromRuleFiles();
    documents.forEach((file, doc) -> r.file(file, doc, problems));
    return new Parsed(List.copyOf(r.groups), List.copyOf(r.alerts));
  }

  private void file(String file, Object doc, List<String> problems) {
    if (!(doc instanceof Map<?, ?> top)) {
      problems.add(file + ": must hold a map with the key groups");
      return;
    }
    for (Object key : top.keySet()) {
      if (!"groups".equals(key)) {
        problems.add(file + ": unknown key '" + key + "' (only groups)");
      }
    }
    Object list = top.get("groups");
    if (!(list instanceof List<?> gs)) {
      problems.add(file + ": groups must be a list");
      return;
    }
    for (int g = 0; g < gs.size(); g++) {
      group(file + ": group " + (g + 1), gs.get(g), problems);
    }
  }

  private void group(String where, Object o, List<String> problems) {
    if (!(o instanceof Map<?, ?> m)) {
      problems.add(where + ": must be a map");
      return;
    }
    unknownKeys(where, m, GROUP_KEYS, problems);
    String name = string(m.get("name"));
    if (name == null || name.isEmpty()) {
      problems.add(where + ": Groupname must not be empty");
      name = "";
    } else if (!groupNames.add(name)) {
      problems.add(where + ": groupname: \"" + name + "\" is repeated");
    } else {
      where = where + " \"" + name + "\"";
    }
    long interval = 0;
    if (m.get("interval") != null) {
      interval = duration(m.get("interval"));
      if (interval <= 0) {
        problems.add(where + ": interval must be a positive duration, was " + m.get("interval"));
      }
    }
    List<GroupRule> rules = new ArrayList<>();
    Object list = m.get("rules");
    if (!(list instanceof List<?> rs)) {
      problems.add(where + ": rules must be a list");
    } else {
      for (int i = 0; i < rs.size(); i++) {
        GroupRule r = rule(where + ", rule " + (i + 1), rs.get(i), problems);
        if (r != null) {
          rules.add(r);
        }
      }
    }
    groups.add(new RuleGroup(name, interval, List.copyOf(rules)));
  }

  private GroupRule rule(String where, Object o, List<String> problems) {
    if (!(o instanceof Map<?, ?> m)) {
      problems.add(where + ": must be a map");
      return null;
    }
    int before = problems.size();
    if (m.containsKey("keep_firing_for")) {
      problems.add(where + ": keep_firing_for is not supported by Tally");
    }
    unknownKeys(where, m, RULE_KEYS, problems);
    String record = string(m.get("record"));
    String alert = string(m.get("alert"));
    if (record == null && alert == null) {
      problems.add(where + ": one of 'record' or 'alert' must be set");
    } else if (record != null && alert != null) {
      problems.add(where + ": only one of 'record' and 'alert' must be set");
    } else if (record != null) {
      where = where + " (record " + record + ")";
      if (!METRIC_NAME.matcher(record).matches()) {
        problems.add(where + ": invalid recording rule name: " + record);
      }
      if (m.containsKey("for")) {
        problems.add(where + ": invalid field 'for' in recording rule");
      }
      if (m.containsKey("annotations")) {
        problems.add(where + ": invalid field 'annotations' in recording rule");
      }
    } else {
      where = where + " (alert " + alert + ")";
      if (alert.isEmpty()) {
        problems.add(where + ": alert name must not be empty");
      }
    }
    String exprText = string(m.get("expr"));
    Expr expr = null;
    if (exprText == null || exprText.isBlank()) {
      problems.add(where + ": field 'expr' must be set in rule");
    } else {
      try {
        expr = Parser.parse(exprText);
        if (expr.type() != Expr.Type.INSTANT_VECTOR && expr.type() != Expr.Type.SCALAR) {
          problems.add(where + ": expr must be an instant vector or a scalar, is a " + expr.type());
        }
      } catch (ParseException e) {
        problems.add(where + ": expr: " + e.getMessage());
      }
    }
    Map<String, String> labels = stringMap(where, "labels", m.get("labels"), problems);
    Map<String, String> annotations =
        stringMap(where, "annotations", m.get("annotations"), problems);
    long forMillis = 0;
    if (m.get("for") != null && record == null) {
      forMillis = duration(m.get("for"));
      if (forMillis < 0) {
        problems.add(where + ": for must be a duration such as 1m, was " + m.get("for"));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    if (record != null) {
      return new GroupRule(record, null, exprText, expr, labels);
    }
    int n = alertNames.merge(alert, 1, Integer::sum);
    String ruleName = n == 1 ? alert : alert + " #" + n;
    Map<String, String> ruleLabels = new LinkedHashMap<>(labels);
    ruleLabels.put("alertname", alert);
    String level = labels.get("severity");
    Severity parsed = level == null ? null : Severity.of(level.toLowerCase(Locale.ROOT));
    Severity severity = parsed == null ? Severity.WARNING : parsed;
    alerts.add(
        new Rule(
            ruleName,
            null,
            null,
            null,
            null,
            Double.NaN,
            forMillis,
            severity,
            Durations.parseMillis(RuleParser.DEFAULT_REPEAT, 0),
            Map.copyOf(ruleLabels),
            Map.copyOf(annotations),
            exprText));
    return new GroupRule(null, ruleName, exprText, expr, labels);
  }

  private static void unknownKeys(
      String where, Map<?, ?> m, Set<String> known, List<String> problems) {
    for (Object key : m.keySet()) {
      if (!known.contains(String.valueOf(key))) {
        problems.add(where + ": field " + key + " not found in the rule format");
      }
    }
  }

  private static String string(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static long duration(Object o) {
    return PromDurations.parseMillis(String.valueOf(o).trim());
  }

  private static Map<String, String> stringMap(
      String where, String field, Object o, List<String> problems) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?> m)) {
      problems.add(where + ": " + field + " must be a map");
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (field.equals("labels") && !RuleParser.LABEL.matcher(k).matches()) {
        problems.add(where + ": invalid label name: " + k);
      }
      out.put(k, e.getValue() == null ? "" : String.valueOf(e.getValue()));
    }
    return out;
  }
}
