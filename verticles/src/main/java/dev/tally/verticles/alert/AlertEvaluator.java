package dev.tally.verticles.alert;

import dev.tally.protocol.promql.Labels;
import dev.tally.verticles.live.LiveJson;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluates every rule on each tick's snapshot and keeps the alerts (CONTRACT §8). An alert is
 * pending while its condition holds for less than the rule's {@code for}, then firing (notified),
 * notified again every {@code repeat} unless acknowledged, and resolved (notified) when the
 * condition stops holding or its series goes away; resolved alerts are kept for {@link
 * #RESOLVED_RETENTION_MILLIS}, a pending one that stops holding is dropped. Silenced alerts keep
 * their state, but no notification is sent for them. One owner (the alert verticle); not
 * thread-safe; the clock is the caller's.
 */
public final class AlertEvaluator {
  /** How long a resolved alert stays listed. */
  public static final long RESOLVED_RETENTION_MILLIS = 15 * 60_000;

  /** Entries the audit log keeps. */
  public static final int AUDIT_ENTRIES = 10_000;

  /** Who changes rules through the rules file and the evaluation itself. */
  static final String SYSTEM = "tally";

  /** The series of a ratio rule's one alert. */
  private static final String RATIO_SERIES = "ratio";

  private final Map<String, Rule> rules = new LinkedHashMap<>();
  private Set<String> fileRules = Set.of(); // the names of the rules file's rules
  private final Map<String, Alert> alerts = new LinkedHashMap<>(); // by id
  private final Map<Alert.Key, Alert> byKey = new HashMap<>();
  private final Map<String, Silence> silences = new LinkedHashMap<>();
  private long silenceIds;

  private final AuditLog audit = new AuditLog(AUDIT_ENTRIES);

  /** What happened to rules, alerts and silences. */
  public AuditLog audit() {
    return audit;
  }

  /** Adds or replaces a rule; a replaced rule's alerts end (firing ones are notified resolved). */
  public List<Notification> putRule(Rule rule, long now) {
    List<Notification> out = endAlertsOf(rule.name(), now);
    Rule old = rules.put(rule.name(), rule);
    audit.add(now, old == null ? "rule_created" : "rule_replaced", SYSTEM, "rule", rule.name());
    return out;
  }

  /** Removes a rule and ends its alerts; empty and false-like if there was none. */
  public List<Notification> removeRule(String name, long now) {
    List<Notification> out = endAlertsOf(name, now);
    if (rules.remove(name) != null) {
      audit.add(now, "rule_deleted", SYSTEM, "rule", name);
    }
    return out;
  }

  public Map<String, Rule> rules() {
    return Map.copyOf(rules);
  }

  /** Evaluates every rule on {@code tick}; the notifications to send, in order. */
  public List<Notification> evaluate(TickSnapshot tick, long now) {
    List<Notification> out = new ArrayList<>();
    // grouping 100 000 series took a fifth of a core at each tick, rules or not
    Families families = null;
    for (Rule rule : rules.values()) {
      if (rule.expr() == null) { // a rule of the tick: rule files' rules run with their groups
        families = families(tick);
        break;
      }
    }
    for (Rule rule : rules.values()) {
      if (rule.expr() != null) {
        continue; // evaluated with its group: evaluateQuery
      }
      if (rule.value() == AlertValue.RATIO) {
        double ratio = ratio(families, rule);
        if (!Double.isNaN(ratio)) {
          observe(rule, RATIO_SERIES, null, null, ratio, now, out);
        }
        continue;
      }
      for (SeriesSnapshot s : selected(families, rule.selector())) {
        observe(rule, s.key(), s, null, rule.value().of(s), now, out);
      }
    }
    for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
      Alert a = it.next();
      if (a.state == AlertState.RESOLVED) {
        if (now - a.sinceMillis >= RESOLVED_RETENTION_MILLIS) {
          it.remove();
          byKey.remove(a.key);
        }
      } else if (a.rule.expr() == null && a.seenMillis != now && end(a, now, out)) {
        it.remove(); // its series is gone: as if the condition no longer held
        byKey.remove(a.key);
      }
    }
    silences.values().removeIf(s -> now >= s.untilMillis());
    return out;
  }

  /** Series a preview lists at most. */
  public static final int PREVIEW_SERIES = 100;

  /** One series a rule takes, its value now, and whether that breaches the rule. */
  public record Preview(String series, double value, boolean breached) {}

  /**
   * What {@code rule} (not a PromQL rule) takes of {@code tick}: each selected series' value (a
   * ratio: one value), at most {@link #PREVIEW_SERIES}, with the number selected; nothing is kept.
   */
  public static Previews preview(Rule rule, TickSnapshot tick) {
    Families families = families(tick);
    List<Preview> out = new ArrayList<>();
    if (rule.value() == AlertValue.RATIO) {
      double v = ratio(families, rule);
      out.add(new Preview(RATIO_SERIES, v, rule.breached(v)));
      return new Previews(out, 1);
    }
    List<SeriesSnapshot> selected = selected(families, rule.selector());
    for (SeriesSnapshot s : selected) {
      if (out.size() == PREVIEW_SERIES) {
        break;
      }
      double v = rule.value().of(s);
      out.add(new Preview(LiveJson.key(s), v, rule.breached(v)));
    }
    return new Previews(out, selected.size());
  }

  /** A preview's series and how many the rule selects in all. */
  public record Previews(List<Preview> series, int total) {}

  /** Acknowledges a pending or firing alert: no repeats until it resolves. Null if unknown. */
  public AlertView ack(String id, String by, String comment, long now) {
    Alert a = alerts.get(id);
    if (a == null || a.state == AlertState.RESOLVED) {
      return null;
    }
    a.ack = new Alert.Ack(by, comment, now);
    a.event(now, "acknowledged", by, comment);
    audit.add(
        now, "alert_acknowledged", by, "alert", id, "rule", a.rule.name(), "comment", comment);
    return a.view(silenced(a, now));
  }

  /** Adds a silence until {@code untilMillis}. */
  public Silence silence(
      Map<String, String> matchers, long untilMillis, String by, String comment, long now) {
    Silence s = new Silence(Long.toString(++silenceIds), matchers, untilMillis, by, comment);
    silences.put(s.id(), s);
    audit.add(
        now,
        "silence_created",
        by,
        "silence",
        s.id(),
        "matchers",
        new io.vertx.core.json.JsonObject(new LinkedHashMap<>(matchers)),
        "until",
        untilMillis,
        "comment",
        comment);
    return s;
  }

  /** Ends a silence; false if there is none with that id. */
  public boolean unsilence(String id, long now) {
    boolean had = silences.remove(id) != null;
    if (had) {
      audit.add(now, "silence_deleted", null, "silence", id);
    }
    return had;
  }

  public List<Silence> silences() {
    return List.copyOf(silences.values());
  }

  /** Every alert: pending, firing and recently resolved. */
  public List<AlertView> alerts(long now) {
    List<AlertView> out = new ArrayList<>();
    for (Alert a : alerts.values()) {
      out.add(a.view(silenced(a, now)));
    }
    return out;
  }

  /**
   * Takes the result of a PromQL rule's expression at one evaluation of its group: each series of
   * it is an alert (pending, then firing after the rule's {@code for}); the rule's alerts whose
   * series is not in the result end.
   *
   * @return the notifications to send, in order
   */
  public List<Notification> evaluateQuery(String ruleName, Map<Labels, Double> result, long now) {
    List<Notification> out = new ArrayList<>();
    Rule rule = rules.get(ruleName);
    if (rule == null || rule.expr() == null) {
      return out;
    }
    for (Map.Entry<Labels, Double> e : result.entrySet()) {
      observe(rule, e.getKey(), null, e.getKey(), e.getValue(), now, out);
    }
    for (Iterator<Alert> it = alerts.values().iterator(); it.hasNext(); ) {
      Alert a = it.next();
      if (a.rule.name().equals(ruleName)
          && a.state != AlertState.RESOLVED
          && a.seenMillis != now
          && end(a, now, out)) {
        it.remove();
        byKey.remove(a.key);
      }
    }
    return out;
  }

  /**
   * Takes one value of a rule's series ({@code s} null for a ratio and a PromQL rule's result,
   * whose labels are {@code result}). Most pairs neither breach nor have an alert: they cost the
   * value, the comparison and one hash look-up.
   */
  private void observe(
      Rule rule,
      Object series,
      SeriesSnapshot s,
      Labels result,
      double value,
      long now,
      List<Notification> out) {
    Alert.Key key = new Alert.Key(rule.name(), series);
    Alert a = byKey.isEmpty() ? null : byKey.get(key);
    if (!rule.breached(value)) {
      if (a != null) {
        a.seenMillis = now;
        a.value = value;
        if (end(a, now, out)) {
          alerts.remove(a.id);
          byKey.remove(key);
        }
      }
      return;
    }
    if (a == null || a.state == AlertState.RESOLVED) {
      String name =
          result != null
              ? result.toString()
              : s == null ? RATIO_SERIES : LiveJson.key(s); // the live feed's key
      Map<String, String> labels = result != null ? labels(rule, result) : labels(rule, s);
      a = new Alert(id(rule.name(), name), key, rule, name, labels, now);
      a.event(now, "pending", null, null);
      alerts.put(a.id, a);
      byKey.put(key, a);
    }
    a.seenMillis = now;
    a.value = value;
    if (a.state == AlertState.PENDING && now - a.sinceMillis >= rule.forMillis()) {
      a.state = AlertState.FIRING;
      a.sinceMillis = now;
      a.event(now, "firing", null, null);
      audit.add(
          now, "alert_firing", SYSTEM, "alert", a.id, "rule", rule.name(), "series", a.series);
      notify(a, Notification.Kind.FIRING, now, out);
    } else if (a.state == AlertState.FIRING
        && a.ack == null
        && now - a.lastNotifiedMillis >= rule.repeatMillis()) {
      notify(a, Notification.Kind.REPEAT, now, out);
    }
  }

  /**
   * Ends an alert whose condition no longer holds: a firing one resolves (notified), a pending one
   * is to be dropped (true).
   */
  private boolean end(Alert a, long now, List<Notification> out) {
    if (a.state == AlertState.PENDING) {
      return true;
    }
    if (a.state == AlertState.FIRING) {
      a.state = AlertState.RESOLVED;
      a.sinceMillis = now;
      a.ack = null;
      a.event(now, "resolved", null, null);
      audit.add(
          now, "alert_resolved", SYSTEM, "alert", a.id, "rule", a.rule.name(), "series", a.series);
      notify(a, Notification.Kind.RESOLVED, now, out);
    }
    return false;
  }

  private List<Notification> endAlertsOf(String rule, long now) {
    List<Notification> out = new ArrayList<>();
    alerts
        .values()
        .removeIf(
            a -> {
              if (!a.rule.name().equals(rule)) {
                return false;
              }
              end(a, now, out);
              byKey.remove(a.key);
              return true;
            });
    return out;
  }

  private void notify(Alert a, Notification.Kind kind, long now, List<Notification> out) {
    a.lastNotifiedMillis = now;
    boolean silenced = silenced(a, now);
    if (!silenced) {
      out.add(new Notification(kind, a.view(false)));
    }
  }

  private boolean silenced(Alert a, long now) {
    for (Silence s : silences.values()) {
      if (s.mutes(a.labels, now)) {
        return true;
      }
    }
    return false;
  }

  /** alertname, severity and the rule's labels over the series' tags ({@code s} may be null). */
  private static Map<String, String> labels(Rule rule, SeriesSnapshot s) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; s != null && i < s.key().labelCount(); i++) {
      labels.put(s.key().labelName(i), s.key().labelValue(i));
    }
    labels.putAll(rule.labels());
    labels.put("alertname", rule.name());
    labels.put("severity", rule.severity().label());
    return labels;
  }

  /**
   * A PromQL rule's alert labels, as Prometheus makes them: the result's labels (without the metric
   * name), the rule's labels over them, {@code alertname} (the rule file's alert name, which the
   * rule's labels hold) and {@code severity} (the rule's, or its level).
   */
  private static Map<String, String> labels(Rule rule, Labels result) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < result.size(); i++) {
      if (!result.name(i).equals(Labels.NAME)) {
        labels.put(result.name(i), result.value(i));
      }
    }
    labels.putAll(rule.labels());
    labels.putIfAbsent("alertname", rule.name());
    labels.putIfAbsent("severity", rule.severity().label());
    return labels;
  }

  /** A stable id of the alert of {@code rule} on {@code series}. */
  static String id(String rule, String series) {
    return UUID.nameUUIDFromBytes((rule + '\u0000' + series).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * The tick's series in runs of one family (the snapshot is sorted by family name): a rule's name
   * glob is matched once per family, not once per series, so that 10 000 rules over 100 000 series
   * of 1 000 metrics cost 10 million glob matches rather than a billion.
   */
  private static Families families(TickSnapshot tick) {
    Families out = new Families();
    List<SeriesSnapshot> all = tick.series();
    int from = 0;
    for (int i = 1; i <= all.size(); i++) {
      if (i == all.size()
          || !all.get(i).family().equals(all.get(from).family())
          || !all.get(i).key().name().equals(all.get(from).key().name())) {
        List<SeriesSnapshot> family = all.subList(from, i);
        out.all.add(family);
        SeriesSnapshot first = all.get(from);
        out.byName.computeIfAbsent(first.family(), n -> new ArrayList<>()).add(family);
        if (!first.key().name().equals(first.family())) {
          out.byName.computeIfAbsent(first.key().name(), n -> new ArrayList<>()).add(family);
        }
        from = i;
      }
    }
    return out;
  }

  /**
   * A tick's series in runs of one family, and the runs by family name and by sanitized name, so
   * that a rule without wildcards finds its series by a look-up.
   */
  private static final class Families {
    final List<List<SeriesSnapshot>> all = new ArrayList<>();
    final Map<String, List<List<SeriesSnapshot>>> byName = new HashMap<>();
  }

  /** The series the selector takes: the glob tested on each family's first, tags on each. */
  private static List<SeriesSnapshot> selected(Families families, Selector selector) {
    List<SeriesSnapshot> out = new ArrayList<>();
    List<List<SeriesSnapshot>> candidates =
        selector.exactName() == null
            ? families.all
            : families.byName.getOrDefault(selector.exactName(), List.of());
    for (List<SeriesSnapshot> family : candidates) {
      if (selector.matchesName(family.get(0))) {
        for (SeriesSnapshot s : family) {
          if (selector.matchesTags(s)) {
            out.add(s);
          }
        }
      }
    }
    return out;
  }

  /**
   * A ratio rule's value: its series' summed rates over its denominator's; NaN if either selects
   * nothing or the denominator is not positive.
   */
  private static double ratio(Families families, Rule rule) {
    double numerator = sum(families, rule.selector());
    double denominator = sum(families, rule.denominator());
    return !Double.isNaN(numerator) && denominator > 0 ? numerator / denominator : Double.NaN;
  }

  /** The sum of the selected series' rates; NaN if none is selected. */
  private static double sum(Families families, Selector selector) {
    double sum = Double.NaN;
    for (SeriesSnapshot s : selected(families, selector)) {
      double v = AlertValue.RATIO.of(s);
      if (!Double.isNaN(v)) {
        sum = Double.isNaN(sum) ? v : sum + v;
      }
    }
    return sum;
  }

  /**
   * Replaces the rules file's rules, keeping the rules made through the API; a rule the file now
   * names replaces an API rule of the same name (the file is the user's). Alerts of rules that
   * changed end.
   */
  public List<Notification> setFileRules(Collection<Rule> file, long now) {
    Map<String, Rule> next = new LinkedHashMap<>();
    file.forEach(r -> next.put(r.name(), r));
    for (Rule r : rules.values()) {
      if (!fileRules.contains(r.name())) {
        next.putIfAbsent(r.name(), r); // an API rule
      }
    }
    Set<String> names = new java.util.HashSet<>();
    file.forEach(r -> names.add(r.name()));
    fileRules = Set.copyOf(names);
    return setRules(next.values(), now);
  }

  /** True if the rule named {@code name} comes from the rules file (the API may not change it). */
  public boolean fromFile(String name) {
    return fileRules.contains(name);
  }

  /** The rules made through the API, to be kept in a file of their own. */
  public List<Rule> apiRules() {
    List<Rule> out = new ArrayList<>();
    for (Rule r : rules.values()) {
      if (!fileRules.contains(r.name())) {
        out.add(r);
      }
    }
    return out;
  }

  /** Replaces every rule at once, ending the alerts of those that changed. */
  public List<Notification> setRules(Collection<Rule> next, long now) {
    List<Notification> out = new ArrayList<>();
    Map<String, Rule> byName = new LinkedHashMap<>();
    next.forEach(r -> byName.put(r.name(), r));
    for (String name : List.copyOf(rules.keySet())) {
      if (!byName.containsKey(name)) {
        out.addAll(removeRule(name, now));
      }
    }
    for (Rule r : byName.values()) {
      if (!r.equals(rules.get(r.name()))) {
        out.addAll(putRule(r, now));
      }
    }
    return out;
  }
}
