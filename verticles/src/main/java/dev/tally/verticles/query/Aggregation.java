package dev.tally.verticles.query;

import dev.tally.protocol.promql.Expr;
import dev.tally.protocol.promql.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The aggregation operators, step by step over the groups {@code by}/{@code without} make, as
 * Prometheus computes them: Kahan sums, a mean that turns incremental when the sum overflows,
 * Welford's variance, NaN replaced by any other value in {@code min}/{@code max}, NaN the least in
 * {@code topk} and the greatest in {@code bottomk}.
 */
final class Aggregation {
  private Aggregation() {}

  static Value.Vector evaluate(Expr.Aggregate a, Value.Vector in, double[] param, int steps) {
    List<Series> series = in.series();
    int n = series.size();
    Map<Labels, Integer> index = new HashMap<>();
    List<Labels> groups = new ArrayList<>();
    int[] groupOf = new int[n];
    Set<String> names = new HashSet<>(a.grouping());
    if (a.without()) {
      names.add(Labels.NAME);
    }
    for (int i = 0; i < n; i++) {
      Labels l = series.get(i).labels;
      Labels key = a.without() ? l.drop(names) : l.keep(names);
      Integer g = index.get(key);
      if (g == null) {
        g = groups.size();
        index.put(key, g);
        groups.add(key);
      }
      groupOf[i] = g;
    }
    if (a.op().equals("topk") || a.op().equals("bottomk")) {
      return select(a.op().equals("topk"), series, groupOf, groups.size(), param, steps);
    }
    int g0 = groups.size();
    double[][] out = new double[g0][steps];
    boolean[] used = new boolean[g0];
    double[] sum = new double[g0];
    double[] c = new double[g0];
    double[] mean = new double[g0];
    double[] count = new double[g0];
    boolean[] incremental = new boolean[g0];
    List<List<Double>> values = new ArrayList<>();
    for (int g = 0; g < g0; g++) {
      values.add(new ArrayList<>());
    }
    for (int k = 0; k < steps; k++) {
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        Series s = series.get(i);
        if (!s.present(k)) {
          continue;
        }
        int g = groupOf[i];
        double f = s.values[k];
        double before = count[g]++;
        switch (a.op()) {
          case "sum" -> {
            if (before == 0) {
              sum[g] = f;
              c[g] = 0;
            } else {
              double next = sum[g] + f;
              c[g] = Windows.kahanC(f, sum[g], next, c[g]);
              sum[g] = next;
            }
          }
          case "avg" -> {
            if (before == 0) {
              sum[g] = f;
              c[g] = 0;
              incremental[g] = false;
              continue;
            }
            double cnt = count[g];
            if (!incremental[g]) {
              double next = sum[g] + f;
              if (!Double.isInfinite(next)) {
                c[g] = Windows.kahanC(f, sum[g], next, c[g]);
                sum[g] = next;
                continue;
              }
              incremental[g] = true;
              mean[g] = sum[g] / (cnt - 1);
              c[g] /= cnt - 1;
            }
            double q = (cnt - 1) / cnt;
            double inc = f / cnt;
            double base = q * mean[g];
            double next = base + inc;
            c[g] = Windows.kahanC(inc, base, next, q * c[g]);
            mean[g] = next;
          }
          case "min" -> sum[g] = before == 0 || sum[g] > f || Double.isNaN(sum[g]) ? f : sum[g];
          case "max" -> sum[g] = before == 0 || sum[g] < f || Double.isNaN(sum[g]) ? f : sum[g];
          case "count", "group" -> {}
          case "stddev", "stdvar" -> {
            if (before == 0) {
              mean[g] = f;
              sum[g] = 0;
            } else {
              double delta = f - mean[g];
              mean[g] += delta / count[g];
              sum[g] += delta * (f - mean[g]);
            }
          }
          case "quantile" -> values.get(g).add(f);
          default ->
              throw new QueryException(
                  QueryException.Kind.BAD_DATA, "aggregation " + a.op() + " not evaluated");
        }
      }
      for (int g = 0; g < g0; g++) {
        if (count[g] == 0) {
          out[g][k] = Series.ABSENT;
          continue;
        }
        used[g] = true;
        out[g][k] =
            switch (a.op()) {
              case "sum" -> Double.isInfinite(sum[g]) ? sum[g] : sum[g] + c[g];
              case "avg" -> incremental[g] ? mean[g] + c[g] : sum[g] / count[g] + c[g] / count[g];
              case "count" -> count[g];
              case "group" -> 1;
              case "stdvar" -> sum[g] / count[g];
              case "stddev" -> Math.sqrt(sum[g] / count[g]);
              case "quantile" -> quantile(param[k], values.get(g));
              default -> sum[g]; // min, max
            };
        values.get(g).clear();
      }
    }
    List<Series> result = new ArrayList<>(g0);
    for (int g = 0; g < g0; g++) {
      if (used[g]) {
        result.add(new Series(groups.get(g), out[g]));
      }
    }
    return new Value.Vector(result);
  }

  private static double quantile(double phi, List<Double> values) {
    double[] v = new double[values.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
    }
    return Windows.quantile(phi, v, v.length);
  }

  /**
   * {@code topk} and {@code bottomk}: each step's k greatest (least) of each group, labels kept.
   */
  private static Value.Vector select(
      boolean top, List<Series> series, int[] groupOf, int groups, double[] k, int steps) {
    int n = series.size();
    double[][] out = new double[n][];
    List<List<Integer>> members = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      members.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      members.get(groupOf[i]).add(i);
    }
    for (int step = 0; step < steps; step++) {
      double kv = k[step];
      if (Double.isNaN(kv) || kv < 1) {
        continue;
      }
      final int s0 = step;
      for (List<Integer> group : members) {
        List<Integer> present = new ArrayList<>();
        for (int i : group) {
          if (series.get(i).present(s0)) {
            present.add(i);
          }
        }
        present.sort(
            (x, y) -> {
              double a = series.get(x).values[s0];
              double b = series.get(y).values[s0];
              if (Double.isNaN(a) || Double.isNaN(b)) { // NaN last either way
                return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
              }
              return top ? Double.compare(b, a) : Double.compare(a, b);
            });
        int take = (int) Math.min(present.size(), kv);
        for (int j = 0; j < take; j++) {
          int i = present.get(j);
          if (out[i] == null) {
            out[i] = new double[steps];
            Arrays.fill(out[i], Series.ABSENT);
          }
          out[i][s0] = series.get(i).values[s0];
        }
      }
    }
    List<Series> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (out[i] != null) {
        result.add(new Series(series.get(i).labels, out[i]));
      }
    }
    return new Value.Vector(result);
  }
}
