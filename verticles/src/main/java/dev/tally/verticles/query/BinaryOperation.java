package dev.tally.verticles.query;

import dev.tally.protocol.promql.Expr;
import dev.tally.protocol.promql.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators between scalars and vectors, as Prometheus applies them: arithmetic drops the
 * metric name; a comparison filters (keeping the vector's value) or, with {@code bool}, answers 0
 * or 1 without the name; two vectors pair their series by their labels ({@code on}/{@code
 * ignoring}), one to one unless {@code group_left}/{@code group_right} says which side has many,
 * and {@code and}/{@code or}/{@code unless} work on the sets. Pairing is decided step by step.
 */
final class BinaryOperation {
  private BinaryOperation() {}

  static Value evaluate(Expr.Binary b, Value lhs, Value rhs, int steps, Budget budget) {
    if (lhs instanceof Value.Scalar l && rhs instanceof Value.Scalar r) {
      double[] out = new double[steps];
      for (int k = 0; k < steps; k++) {
        out[k] = apply(b.op(), l.values()[k], r.values()[k]); // a comparison's is 1 or 0
      }
      return new Value.Scalar(out);
    }
    if (lhs instanceof Value.Vector l && rhs instanceof Value.Scalar r) {
      return vectorScalar(b, l, r.values(), false);
    }
    if (lhs instanceof Value.Scalar l && rhs instanceof Value.Vector r) {
      return vectorScalar(b, r, l.values(), true);
    }
    Value.Vector l = (Value.Vector) lhs;
    Value.Vector r = (Value.Vector) rhs;
    if (b.setOperation()) {
      return set(b, l, r, steps);
    }
    Value.Vector out = vectors(b, l, r, steps);
    budget.hold((long) out.series().size() * steps);
    return out;
  }

  /** {@code op} of two numbers; a comparison gives 1 for true, 0 for false. */
  static double apply(String op, double l, double r) {
    return switch (op) {
      case "+" -> l + r;
      case "-" -> l - r;
      case "*" -> l * r;
      case "/" -> l / r;
      case "%" -> l % r; // as Go's math.Mod: the sign of the dividend
      case "^" -> Math.pow(l, r);
      case "==" -> l == r ? 1 : 0;
      case "!=" -> l != r ? 1 : 0;
      case ">" -> l > r ? 1 : 0;
      case "<" -> l < r ? 1 : 0;
      case ">=" -> l >= r ? 1 : 0;
      case "<=" -> l <= r ? 1 : 0;
      default ->
          throw new QueryException(
              QueryException.Kind.BAD_DATA, "operator " + op + " not evaluated");
    };
  }

  /**
   * {@code l op r} as the operation answers it: arithmetic's value; a comparison's 1 or 0 with
   * {@code bool}, else {@code kept} where it holds and {@link Series#ABSENT} where it does not.
   */
  private static double result(Expr.Binary b, double l, double r, double kept) {
    double y = apply(b.op(), l, r);
    if (!b.comparison()) {
      return y;
    }
    return b.bool() ? y : y == 0 ? Series.ABSENT : kept; // apply gives a comparison 1 or 0
  }

  private static Value.Vector vectorScalar(
      Expr.Binary b, Value.Vector v, double[] s, boolean scalarLeft) {
    boolean dropName = !b.comparison() || b.bool();
    List<Series> out = new ArrayList<>(v.series().size());
    for (Series x : v.series()) {
      double[] values = new double[s.length];
      boolean any = false;
      for (int k = 0; k < s.length; k++) {
        values[k] = Series.ABSENT;
        if (!x.present(k)) {
          continue;
        }
        double l = scalarLeft ? s[k] : x.values[k];
        double r = scalarLeft ? x.values[k] : s[k];
        double y = result(b, l, r, x.values[k]); // a filter keeps the vector's value, either side
        if (Series.absent(y)) {
          continue;
        }
        values[k] = y;
        any = true;
      }
      if (any) {
        out.add(new Series(dropName ? x.labels.withoutName() : x.labels, values));
      }
    }
    return new Value.Vector(dropName ? Vectors.mergeSameLabels(out) : out);
  }

  /** The labels two series are paired by. */
  private static Labels signature(Labels l, Expr.Matching m) {
    if (m.on()) {
      return l.keep(new HashSet<>(m.labels()));
    }
    Set<String> drop = new HashSet<>(m.labels());
    drop.add(Labels.NAME);
    return l.drop(drop);
  }

  private static Value.Vector set(Expr.Binary b, Value.Vector l, Value.Vector r, int steps) {
    Expr.Matching m = b.matching();
    List<Labels> lsig = new ArrayList<>();
    for (Series s : l.series()) {
      lsig.add(signature(s.labels, m));
    }
    List<Labels> rsig = new ArrayList<>();
    for (Series s : r.series()) {
      rsig.add(signature(s.labels, m));
    }
    List<Series> out = new ArrayList<>();
    double[][] lv = new double[l.series().size()][];
    double[][] rv = new double[r.series().size()][];
    for (int k = 0; k < steps; k++) {
      Set<Labels> right = new HashSet<>();
      for (int j = 0; j < rsig.size(); j++) {
        if (r.series().get(j).present(k)) {
          right.add(rsig.get(j));
        }
      }
      Set<Labels> left = new HashSet<>();
      for (int i = 0; i < lsig.size(); i++) {
        Series s = l.series().get(i);
        if (!s.present(k)) {
          continue;
        }
        left.add(lsig.get(i));
        boolean keep =
            switch (b.op()) {
              case "and" -> right.contains(lsig.get(i));
              case "unless" -> !right.contains(lsig.get(i));
              default -> true; // or
            };
        if (keep) {
          put(lv, i, k, s.values[k], steps);
        }
      }
      if (b.op().equals("or")) {
        for (int j = 0; j < rsig.size(); j++) {
          Series s = r.series().get(j);
          if (s.present(k) && !left.contains(rsig.get(j))) {
            put(rv, j, k, s.values[k], steps);
          }
        }
      }
    }
    for (int i = 0; i < lv.length; i++) {
      if (lv[i] != null) {
        out.add(new Series(l.series().get(i).labels, lv[i]));
      }
    }
    for (int j = 0; j < rv.length; j++) {
      if (rv[j] != null) {
        out.add(new Series(r.series().get(j).labels, rv[j]));
      }
    }
    return new Value.Vector(Vectors.mergeSameLabels(out));
  }

  private static void put(double[][] into, int i, int k, double v, int steps) {
    if (into[i] == null) {
      into[i] = new double[steps];
      Arrays.fill(into[i], Series.ABSENT);
    }
    into[i][k] = v;
  }

  private static Value.Vector vectors(
      Expr.Binary b, Value.Vector lhs, Value.Vector rhs, int steps) {
    Expr.Matching m = b.matching();
    boolean swap = m.card() == Expr.Cardinality.ONE_TO_MANY;
    List<Series> many = swap ? rhs.series() : lhs.series();
    List<Series> one = swap ? lhs.series() : rhs.series();
    Map<Labels, List<Integer>> oneBySig = new HashMap<>();
    for (int j = 0; j < one.size(); j++) {
      oneBySig.computeIfAbsent(signature(one.get(j).labels, m), x -> new ArrayList<>()).add(j);
    }
    List<Labels> manySig = new ArrayList<>(many.size());
    for (Series s : many) {
      manySig.add(signature(s.labels, m));
    }
    boolean dropName = !b.comparison() || b.bool();
    Map<Labels, double[]> out = new LinkedHashMap<>();
    Map<Long, Labels> pairLabels = new HashMap<>(); // each pair's result labels, made once
    for (int k = 0; k < steps; k++) {
      duplicates(oneBySig, one, k, swap);
      Map<Labels, Set<Labels>> matched = new HashMap<>();
      for (int i = 0; i < many.size(); i++) {
        Series ls = many.get(i);
        if (!ls.present(k)) {
          continue;
        }
        Labels sig = manySig.get(i);
        List<Integer> candidates = oneBySig.get(sig);
        if (candidates == null) {
          continue;
        }
        Series rs = null;
        int rj = -1;
        for (int j : candidates) { // at most one present: duplicates() checked
          if (one.get(j).present(k)) {
            rs = one.get(j);
            rj = j;
          }
        }
        if (rs == null) {
          continue;
        }
        double fl = swap ? rs.values[k] : ls.values[k];
        double fr = swap ? ls.values[k] : rs.values[k];
        double y = result(b, fl, fr, fl);
        if (Series.absent(y)) {
          continue;
        }
        Series oneSide = rs;
        Labels metric =
            pairLabels.computeIfAbsent(
                (long) i * one.size() + rj,
                p -> resultMetric(ls.labels, oneSide.labels, m, dropName));
        Set<Labels> inserted = matched.get(sig);
        if (m.card() == Expr.Cardinality.ONE_TO_ONE) {
          if (inserted != null) {
            throw new QueryException(
                QueryException.Kind.EXECUTION,
                "multiple matches for labels: many-to-one matching must be explicit"
                    + " (group_left/group_right)");
          }
          matched.put(sig, Set.of());
        } else {
          if (inserted == null) {
            inserted = new HashSet<>();
            matched.put(sig, inserted);
          }
          if (!inserted.add(metric)) {
            throw new QueryException(
                QueryException.Kind.EXECUTION,
                "multiple matches for labels: grouping labels must ensure unique matches");
          }
        }
        double[] values = out.get(metric);
        if (values == null) {
          values = new double[steps];
          Arrays.fill(values, Series.ABSENT);
          out.put(metric, values);
        } else if (!Series.absent(values[k])) {
          throw new QueryException(
              QueryException.Kind.EXECUTION,
              "vector cannot contain metrics with the same labelset");
        }
        values[k] = y;
      }
    }
    List<Series> result = new ArrayList<>(out.size());
    out.forEach((labels, values) -> result.add(new Series(labels, values)));
    return new Value.Vector(result);
  }

  /**
   * Fails if two series of the "one" side have the same match group at step {@code k}, whether a
   * series of the other side matches them or not, as Prometheus does.
   */
  private static void duplicates(
      Map<Labels, List<Integer>> oneBySig, List<Series> one, int k, boolean swap) {
    for (Map.Entry<Labels, List<Integer>> e : oneBySig.entrySet()) {
      if (e.getValue().size() < 2) {
        continue;
      }
      Series first = null;
      for (int j : e.getValue()) {
        if (one.get(j).present(k)) {
          if (first != null) {
            throw new QueryException(
                QueryException.Kind.EXECUTION,
                "found duplicate series for the match group "
                    + e.getKey()
                    + " on the "
                    + (swap ? "left" : "right")
                    + " hand-side of the operation: ["
                    + first.labels
                    + ", "
                    + one.get(j).labels
                    + "];many-to-many matching not allowed: matching labels must be unique on"
                    + " one side");
          }
          first = one.get(j);
        }
      }
    }
  }

  /** The labels of a pair's result: the many side's, reduced and completed as Prometheus does. */
  private static Labels resultMetric(Labels many, Labels one, Expr.Matching m, boolean dropName) {
    Labels.Builder b = many.toBuilder();
    if (dropName) {
      b.remove(Labels.NAME);
    }
    if (m.card() == Expr.Cardinality.ONE_TO_ONE) {
      if (m.on()) {
        Set<String> keep = new HashSet<>(m.labels());
        for (int i = 0; i < many.size(); i++) {
          if (!keep.contains(many.name(i))) {
            b.remove(many.name(i));
          }
        }
      } else {
        for (String name : m.labels()) {
          b.remove(name);
        }
      }
    }
    for (String name : m.include()) {
      b.set(name, one.get(name));
    }
    return b.build();
  }
}
