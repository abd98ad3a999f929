package dev.tally.protocol.model;

import java.util.List;

/**
 * Bounds on what one series' labels may hold, so that no client can make a series key (and every
 * line of {@code /metrics} that carries it) arbitrarily large: at most {@code maxLabels} labels,
 * each value at most {@code maxValueLength} characters, and the name with every label name and
 * value at most {@code maxKeyLength} characters. Immutable.
 *
 * @param maxLabels labels a series may have; at least 1
 * @param maxValueLength characters of one label value; at least 1
 * @param maxKeyLength characters of the name and every label name and value together; at least 1
 */
public record LabelLimits(int maxLabels, int maxValueLength, int maxKeyLength) {
  /** Labels per series, as Grafana Mimir allows by default (30) with room for OTLP resources. */
  public static final int DEFAULT_MAX_LABELS = 64;

  /** Characters of a label value: Grafana Mimir's default. */
  public static final int DEFAULT_MAX_VALUE_LENGTH = 2048;

  /** Characters of a whole series key: the longest StatsD line. */
  public static final int DEFAULT_MAX_KEY_LENGTH = 8192;

  public static final LabelLimits DEFAULT =
      new LabelLimits(DEFAULT_MAX_LABELS, DEFAULT_MAX_VALUE_LENGTH, DEFAULT_MAX_KEY_LENGTH);

  public LabelLimits {
    if (maxLabels < 1 || maxValueLength < 1 || maxKeyLength < 1) {
      throw new IllegalArgumentException(
          "label limits must be >= 1, were "
              + maxLabels
              + ", "
              + maxValueLength
              + ", "
              + maxKeyLength);
    }
  }

  /**
   * What is over the limits in a series' name and labels ({@code name, value} pairs), for the
   * client; null if nothing is.
   */
  public String check(String name, List<String> labels) {
    int count = labels.size() / 2;
    if (count > maxLabels) {
      return count + " labels, over the limit of " + maxLabels;
    }
    long length = name.length();
    for (int i = 0; i + 1 < labels.size(); i += 2) {
      String value = labels.get(i + 1);
      if (value.length() > maxValueLength) {
        return "label "
            + abbreviate(labels.get(i))
            + " has a value of "
            + value.length()
            + " characters, over the limit of "
            + maxValueLength;
      }
      length += labels.get(i).length() + value.length();
    }
    if (length > maxKeyLength) {
      return "name and labels of " + length + " characters, over the limit of " + maxKeyLength;
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
