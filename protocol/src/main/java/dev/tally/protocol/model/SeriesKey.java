package dev.tally.protocol.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The identity of a series: its kind, its sanitized name and its labels sorted by name. Immutable.
 *
 * <p>Label names are sanitized (and made safe: see {@link #labelName}); values are kept as sent. A
 * label name given more than once has its values joined with {@code ;} in sorted order, as the
 * OpenTelemetry Prometheus rules do for keys that collide after sanitizing.
 */
public final class SeriesKey {
  private final MetricKind kind;
  private final String name;

  /** The labels of a key without any: one array for all (a series each would have its own). */
  private static final String[] NO_LABELS = new String[0];

  private final String[] labels; // name0, value0, name1, value1, ... sorted by name
  private final int hash;

  private SeriesKey(MetricKind kind, String name, String[] labels) {
    this.kind = kind;
    this.name = name;
    this.labels = labels;
    // the kind by its code, not Enum.hashCode (an identity hash): the hash is the same in every
    // JVM, so that the nodes of a cluster agree on the owner of a series
    this.hash = 31 * (31 * kind.code() + name.hashCode()) + Arrays.hashCode(labels);
  }

  /**
   * Builds a key from a raw name and raw label pairs (name, value, name, value, ...).
   *
   * @throws IllegalArgumentException if {@code rawLabels} has an odd length
   */
  public static SeriesKey of(MetricKind kind, String rawName, List<String> rawLabels) {
    return new SeriesKey(kind, Names.sanitize(rawName), labels(kind, rawLabels));
  }

  /**
   * Builds a key from a name used as it is (already a valid metric name, such as a mapping rule's:
   * runs of {@code _} stay) and raw label pairs, sanitized as {@link #of} does.
   *
   * @throws IllegalArgumentException if {@code rawLabels} has an odd length
   */
  public static SeriesKey ofExactName(MetricKind kind, String name, List<String> rawLabels) {
    return new SeriesKey(kind, Objects.requireNonNull(name, "name"), labels(kind, rawLabels));
  }

  private static String[] labels(MetricKind kind, List<String> rawLabels) {
    Objects.requireNonNull(kind, "kind");
    if (rawLabels.size() % 2 != 0) {
      throw new IllegalArgumentException("rawLabels must hold name/value pairs");
    }
    List<String[]> pairs = new ArrayList<>(rawLabels.size() / 2);
    for (int i = 0; i < rawLabels.size(); i += 2) {
      String label = labelName(Names.sanitizeLabel(rawLabels.get(i)));
      if (!label.isEmpty()) {
        pairs.add(new String[] {label, rawLabels.get(i + 1)});
      }
    }
    pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    List<String> merged = new ArrayList<>(pairs.size() * 2);
    for (String[] pair : pairs) {
      int last = merged.size() - 2;
      if (last >= 0 && merged.get(last).equals(pair[0])) {
        merged.set(last + 1, merged.get(last + 1) + ";" + pair[1]);
      } else {
        merged.add(pair[0]);
        merged.add(pair[1]);
      }
    }
    return merged.isEmpty() ? NO_LABELS : merged.toArray(new String[0]);
  }

  /**
   * A sanitized label name made safe for the exposition: an empty name is dropped (returned empty;
   * sanitizing already keeps {@code __}, reserved by Prometheus, out of names), and the names the
   * exposition gives a meaning ({@code le} of histograms, {@code quantile} of summaries) become
   * {@code exported_le} and {@code exported_quantile}, as Prometheus renames clashing labels: on
   * any kind, since {@code promtool check metrics} also flags them on counters and gauges, and a
   * series' kind may change with what is sent.
   */
  private static String labelName(String label) {
    if (label.equals("quantile") || label.equals("le")) {
      return "exported_" + label;
    }
    return label;
  }

  /** A key with the same kind and name and only the given label. */
  public SeriesKey withOnlyLabel(String labelName, String value) {
    return new SeriesKey(kind, name, new String[] {labelName, value});
  }

  /**
   * An upper estimate of the heap the key holds, its strings counted as if none were shared: it
   * bounds the OTLP points that wait for the shards.
   */
  public long estimatedBytes() {
    return 32 + Strings.estimatedBytes(name) + Strings.estimatedBytes(labels);
  }

  public MetricKind kind() {
    return kind;
  }

  /** The sanitized name, without any suffix ({@code _total}, {@code _seconds}). */
  public String name() {
    return name;
  }

  /** The number of labels. */
  public int labelCount() {
    return labels.length / 2;
  }

  /** The name of the label at {@code index}, in sorted order. */
  public String labelName(int index) {
    return labels[2 * index];
  }

  /** The value of the label at {@code index}, in sorted order. */
  public String labelValue(int index) {
    return labels[2 * index + 1];
  }

  /** The labels as an unmodifiable list of name/value pairs, sorted by name. */
  public List<String> labels() {
    return Collections.unmodifiableList(Arrays.asList(labels));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SeriesKey)) {
      return false;
    }
    SeriesKey other = (SeriesKey) o;
    return hash == other.hash
        && kind == other.kind
        && name.equals(other.name)
        && Arrays.equals(labels, other.labels);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The key as {@code kind:name{label="value",...}}, for logs and the JSON API. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(name).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
    }
    return sb.append('}').toString();
  }
}
