package dev.tally.protocol.promql;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A series' label set as Prometheus has it: names sorted, each once, {@code __name__} among them.
 * Immutable; ordered as Prometheus orders series (pair by pair, name then value, shorter first).
 */
public final class Labels implements Comparable<Labels> {
  /** The label that holds the metric name. */
  public static final String NAME = "__name__";

  public static final Labels EMPTY = new Labels(new String[0]);

  private final String[] pairs; // name, value, name, value ... by name
  private int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /** A label set of {@code name, value, name, value, ...}, in any order; a later name wins. */
  public static Labels of(String... nameValues) {
    if (nameValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values in pairs");
    }
    Builder b = new Builder();
    for (int i = 0; i < nameValues.length; i += 2) {
      b.set(nameValues[i], nameValues[i + 1]);
    }
    return b.build();
  }

  public int size() {
    return pairs.length / 2;
  }

  public String name(int i) {
    return pairs[2 * i];
  }

  public String value(int i) {
    return pairs[2 * i + 1];
  }

  /** The value of {@code name}; "" when it has none (Prometheus' rule for matchers). */
  public String get(String name) {
    int i = indexOf(name);
    return i < 0 ? "" : pairs[2 * i + 1];
  }

  /** The metric name; "" when there is none. */
  public String metricName() {
    return get(NAME);
  }

  private int indexOf(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = pairs[2 * mid].compareTo(name);
      if (c == 0) {
        return mid;
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /** These labels without {@code __name__}. */
  public Labels withoutName() {
    return indexOf(NAME) < 0 ? this : toBuilder().remove(NAME).build();
  }

  /** Only the labels named in {@code names}. */
  public Labels keep(Collection<String> names) {
    Builder b = new Builder();
    for (int i = 0; i < size(); i++) {
      if (names.contains(name(i))) {
        b.set(name(i), value(i));
      }
    }
    return b.build();
  }

  /** These labels without those named in {@code names}. */
  public Labels drop(Collection<String> names) {
    Builder b = new Builder();
    for (int i = 0; i < size(); i++) {
      if (!names.contains(name(i))) {
        b.set(name(i), value(i));
      }
    }
    return b.build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < size(); i++) {
      b.set(name(i), value(i));
    }
    return b;
  }

  @Override
  public int compareTo(Labels o) {
    int n = Math.min(pairs.length, o.pairs.length);
    for (int i = 0; i < n; i++) {
      int c = pairs[i].compareTo(o.pairs[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(pairs.length, o.pairs.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels l && Arrays.equals(pairs, l.pairs);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h;
    }
    return h;
  }

  /** As Prometheus prints a series: {@code name{a="x", b="y"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metricName()).append('{');
    boolean first = true;
    for (int i = 0; i < size(); i++) {
      if (!name(i).equals(NAME)) {
        sb.append(first ? "" : ", ").append(name(i)).append('=').append(Matcher.quoted(value(i)));
        first = false;
      }
    }
    return sb.append('}').toString();
  }

  /** Makes a label set; names kept sorted, empty values removed. */
  public static final class Builder {
    private final List<String> pairs = new ArrayList<>();

    public Builder set(String name, String value) {
      int lo = 0;
      int hi = pairs.size() / 2 - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = pairs.get(2 * mid).compareTo(name);
        if (c == 0) {
          if (value.isEmpty()) {
            pairs.remove(2 * mid);
            pairs.remove(2 * mid);
          } else {
            pairs.set(2 * mid + 1, value);
          }
          return this;
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (!value.isEmpty()) {
        pairs.add(2 * lo, value);
        pairs.add(2 * lo, name);
      }
      return this;
    }

    public Builder remove(String name) {
      return set(name, "");
    }

    public Labels build() {
      return pairs.isEmpty() ? EMPTY : new Labels(pairs.toArray(String[]::new));
    }
  }
}
