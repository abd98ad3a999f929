package dev.tally.verticles.query;

import dev.tally.protocol.promql.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers over the series of a vector. */
final class Vectors {
  private Vectors() {}

  /**
   * Series that have the same labels (after a function dropped the metric name) made one, as long
   * as they never have a sample at the same step; if they do, the query fails as Prometheus' does.
   * The series' arrays are the caller's own, just made: the first of equal ones takes the others'
   * values.
   */
  static List<Series> mergeSameLabels(List<Series> in) {
    return merge(in, false);
  }

  /**
   * Fails if two series have the same labels at all, as Prometheus checks a range function's result
   * once its name is dropped ({@code rate({__name__=~"a|b"}[5m])}).
   */
  static List<Series> requireDistinctLabels(List<Series> in) {
    return merge(in, true);
  }

  private static List<Series> merge(List<Series> in, boolean strict) {
    if (in.size() < 2) {
      return in;
    }
    Map<Labels, Series> byLabels = new LinkedHashMap<>(in.size() * 2);
    boolean merged = false;
    for (Series s : in) {
      Series into = byLabels.putIfAbsent(s.labels, s);
      if (into != null) {
        if (strict) {
          throw new QueryException(
              QueryException.Kind.EXECUTION,
              "vector cannot contain metrics with the same labelset");
        }
        merged = true;
        for (int k = 0; k < s.values.length; k++) {
          if (s.present(k)) {
            if (into.present(k)) {
              throw new QueryException(
                  QueryException.Kind.EXECUTION,
                  "vector cannot contain metrics with the same labelset");
            }
            into.values[k] = s.values[k];
          }
        }
      }
    }
    return merged ? new ArrayList<>(byLabels.values()) : in;
  }
}
