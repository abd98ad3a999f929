package dev.tally.verticles.alert;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.live.Subscription;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import java.util.List;
import java.util.Map;

/**
 * Which series a rule looks at: a name glob, matched as the live feed matches it, and tags that
 * must have exactly the given values. Immutable.
 */
public final class Selector {
  private final String match;
  private final Subscription glob;
  private final Map<String, String> tags;
  private final String exact;

  Selector(String match, Map<String, String> tags) {
    this.match = match;
    this.glob = Subscription.of(List.of(match));
    this.tags = Map.copyOf(tags);
    String id = glob.id(); // the one glob, sanitized
    this.exact = id.indexOf('*') < 0 && id.indexOf('?') < 0 ? id : null;
  }

  /** The one name the glob takes if it has no wildcard (sanitized), else null. */
  String exactName() {
    return exact;
  }

  public String match() {
    return match;
  }

  public Map<String, String> tags() {
    return tags;
  }

  /** True if the glob takes the series' name (equal for every series of a family). */
  boolean matchesName(SeriesSnapshot s) {
    return glob.matches(s);
  }

  /** True if the series has every tag with its value. */
  boolean matchesTags(SeriesSnapshot s) {
    SeriesKey key = s.key();
    for (Map.Entry<String, String> t : tags.entrySet()) {
      if (!t.getValue().equals(labelValue(key, t.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Selector
        && ((Selector) o).match.equals(match)
        && ((Selector) o).tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return match.hashCode() * 31 + tags.hashCode();
  }

  private static String labelValue(SeriesKey key, String name) {
    for (int i = 0; i < key.labelCount(); i++) {
      if (key.labelName(i).equals(name)) {
        return key.labelValue(i);
      }
    }
    return null;
  }
}
