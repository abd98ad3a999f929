package dev.tally.protocol.statsd.mapping;

import dev.tally.protocol.model.Names;
import java.util.ArrayList;
import java.util.List;

/**
 * What a mapping file makes of one StatsD name and type: the rule that matched (the defaults if
 * none did), the Prometheus name, and the rule's labels with their captures expanded. Immutable.
 *
 * @param rule the rule; {@link MappingRule#index()} -1 if no rule matched
 * @param name the metric name, escaped as statsd_exporter escapes names; empty if the rule's name
 *     expanded to nothing (the line is dropped)
 * @param labels the rule's labels as pairs (name, value, ...), values expanded
 */
public record Mapped(MappingRule rule, String name, List<String> labels) {

  /** True if a rule matched. */
  public boolean matched() {
    return rule.index() >= 0;
  }

  /**
   * The series' labels from a line's tags ({@code tags} as raw pairs) and the rule's: a rule's
   * label replaces a tag of the same name, unless the rule honors labels, where the tag stays and
   * the rule's label is its default.
   */
  public List<String> labelsWith(List<String> tags) {
    if (labels.isEmpty()) {
      return tags;
    }
    List<String> out = new ArrayList<>(tags.size() + labels.size());
    boolean honor = rule.honorLabels();
    for (int t = 0; t < tags.size(); t += 2) {
      if (honor || indexOf(labels, Names.sanitizeLabel(tags.get(t))) < 0) {
        out.add(tags.get(t));
        out.add(tags.get(t + 1));
      }
    }
    for (int l = 0; l < labels.size(); l += 2) {
      if (!honor || !hasTag(tags, labels.get(l))) {
        out.add(labels.get(l));
        out.add(labels.get(l + 1));
      }
    }
    return out;
  }

  private static boolean hasTag(List<String> tags, String label) {
    for (int t = 0; t < tags.size(); t += 2) {
      if (Names.sanitizeLabel(tags.get(t)).equals(label)) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(List<String> pairs, String name) {
    for (int i = 0; i < pairs.size(); i += 2) {
      if (pairs.get(i).equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
