package dev.tally.protocol.statsd.mapping;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One rule of a mapping file with the file's defaults applied, or the defaults themselves (the rule
 * of names no rule matches, {@link #index()} -1). Immutable; series made by one rule share it.
 */
public final class MappingRule {
  private final int index;
  private final String match;
  private final Pattern regex;
  private final Map<String, String> groupNames;
  private final String name;
  private final List<String> labels;
  private final boolean honorLabels;
  private final MatchType metricType;
  private final boolean drop;
  private final ObserverKind observer;
  private final double[] buckets;
  private final double[] quantiles;
  private final long ttlMillis;
  private final String help;

  MappingRule(
      int index,
      String match,
      Pattern regex,
      Map<String, String> groupNames,
      String name,
      List<String> labels,
      boolean honorLabels,
      MatchType metricType,
      boolean drop,
      ObserverKind observer,
      double[] buckets,
      double[] quantiles,
      long ttlMillis,
      String help) {
    this.index = index;
    this.match = match;
    this.regex = regex;
    this.groupNames = Map.copyOf(groupNames);
    this.name = name;
    this.labels = List.copyOf(labels);
    this.honorLabels = honorLabels;
    this.metricType = metricType;
    this.drop = drop;
    this.observer = observer;
    this.buckets = buckets;
    this.quantiles = quantiles;
    this.ttlMillis = ttlMillis;
    this.help = help;
  }

  /** The rule's place in the file's {@code mappings}, from 0; -1 for the defaults. */
  public int index() {
    return index;
  }

  /** The {@code match} as written; null for the defaults. */
  public String match() {
    return match;
  }

  /** True for a {@code match_type: regex} rule. */
  public boolean isRegex() {
    return regex != null;
  }

  Pattern regex() {
    return regex;
  }

  /** The regex's group names as written (Go's) to Java's. */
  Map<String, String> groupNames() {
    return groupNames;
  }

  /** The {@code name} template; null for the defaults. */
  public String nameTemplate() {
    return name;
  }

  /** The {@code labels} templates as pairs (name, template, ...), in the file's order. */
  public List<String> labelTemplates() {
    return labels;
  }

  /** True if a line's tag wins over the rule's label of the same name. */
  public boolean honorLabels() {
    return honorLabels;
  }

  /** The only type the rule matches ({@code match_metric_type}); null for any. */
  public MatchType metricType() {
    return metricType;
  }

  /** True for {@code action: drop}. */
  public boolean drop() {
    return drop;
  }

  /** How timers and distributions are exposed; null where neither rule nor defaults say. */
  public ObserverKind observer() {
    return observer;
  }

  /** A histogram's bucket bounds, increasing; null where neither rule nor defaults say. */
  public double[] buckets() {
    return buckets == null ? null : buckets.clone();
  }

  /** A summary's quantiles, as fractions. */
  public double[] quantiles() {
    return quantiles.clone();
  }

  /** How long a series of this rule may stay idle; -1 where neither rule nor defaults say. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /** The {@code help} text; null for none. */
  public String help() {
    return help;
  }
}
