package dev.tally.verticles.query;

import dev.tally.protocol.promql.Expr;
import dev.tally.protocol.promql.Function;
import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Matcher;
import dev.tally.verticles.history.HistoryStore;
import dev.tally.verticles.history.Samples;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates an expression at every step of a query at once: a selector reads each series once for
 * the whole query and gives its value at each step (the newest sample within the lookback, none
 * after a stale marker); a range function slides its window over the series' samples; functions,
 * aggregations and operators then work step by step on arrays. One query, one evaluator: not
 * thread-safe.
 */
final class Evaluator {
  private final HistoryStore.Reader reader;
  private final Steps steps;
  private final Budget budget;
  private final long lookback;
  private final Samples samples = new Samples();

  Evaluator(HistoryStore.Reader reader, Steps steps, Budget budget, long lookbackMillis) {
    this.reader = reader;
    this.steps = steps;
    this.budget = budget;
    this.lookback = lookbackMillis;
  }

  Value eval(Expr e) {
    budget.check();
    if (e instanceof Expr.Number n) {
      return scalar(n.value());
    }
    if (e instanceof Expr.Text t) {
      return new Value.Text(t.value());
    }
    if (e instanceof Expr.Paren p) {
      return eval(p.expr());
    }
    if (e instanceof Expr.Negation n) {
      return negate(eval(n.expr()));
    }
    if (e instanceof Expr.Selector s) {
      return selector(s);
    }
    if (e instanceof Expr.Call c) {
      return call(c);
    }
    if (e instanceof Expr.Aggregate a) {
      return Aggregation.evaluate(a, (Value.Vector) eval(a.expr()), param(a), steps.count());
    }
    if (e instanceof Expr.Binary b) {
      return BinaryOperation.evaluate(b, eval(b.lhs()), eval(b.rhs()), steps.count(), budget);
    }
    throw new QueryException(
        QueryException.Kind.BAD_DATA, "cannot evaluate " + e.type() + " here: " + e);
  }

  private double[] param(Expr.Aggregate a) {
    return a.param() == null ? null : ((Value.Scalar) eval(a.param())).values();
  }

  private Value.Scalar scalar(double v) {
    double[] out = new double[steps.count()];
    Arrays.fill(out, v);
    return new Value.Scalar(out);
  }

  /** {@code -v}: a vector's series lose their metric name. */
  private static Value negate(Value v) {
    if (v instanceof Value.Scalar s) {
      double[] out = s.values().clone();
      for (int k = 0; k < out.length; k++) {
        out[k] = -out[k];
      }
      return new Value.Scalar(out);
    }
    List<Series> out = new ArrayList<>();
    for (Series x : ((Value.Vector) v).series()) {
      double[] values = x.values.clone();
      for (int k = 0; k < values.length; k++) {
        values[k] = x.present(k) ? -values[k] : Series.ABSENT;
      }
      out.add(new Series(x.labels.withoutName(), values));
    }
    return new Value.Vector(Vectors.mergeSameLabels(out));
  }

  // ---- selectors

  private Value.Vector selector(Expr.Selector s) {
    int[] ids = reader.select(s.matchers());
    long offset = s.offsetMillis();
    long from = steps.start() - offset - lookback + 1;
    long to = steps.end() - offset;
    List<Series> out = new ArrayList<>();
    int k0 = steps.count();
    for (int id : ids) {
      budget.check();
      read(id, from, to);
      int n = samples.size();
      if (n == 0) {
        continue;
      }
      double[] v = new double[k0];
      boolean any = false;
      int j = -1;
      for (int k = 0; k < k0; k++) {
        long ref = steps.time(k) - offset;
        while (j + 1 < n && samples.time(j + 1) <= ref) {
          j++;
        }
        v[k] = Series.ABSENT;
        if (j >= 0 && samples.time(j) > ref - lookback) {
          double x = samples.value(j);
          if (!isStale(x)) {
            v[k] = Double.isNaN(x) ? Double.NaN : x;
            any = true;
          }
        }
      }
      if (any) {
        budget.hold(k0);
        out.add(new Series(reader.labels(id), v));
      }
    }
    return new Value.Vector(out);
  }

  private void read(int id, long from, long to) {
    try {
      reader.read(id, from, to, samples);
    } catch (IOException e) {
      throw new QueryException(QueryException.Kind.INTERNAL, e.getMessage());
    }
    budget.read(samples.size());
  }

  private static boolean isStale(double x) {
    return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(HistoryStore.STALE_NAN);
  }

  /** A series' samples of a window read: stale markers left out, NaNs made the usual one. */
  private static final class Window {
    long[] t = new long[256];
    double[] v = new double[256];
    int n;

    void fill(Samples s) {
      n = 0;
      if (t.length < s.size()) {
        t = new long[s.size()];
        v = new double[s.size()];
      }
      for (int i = 0; i < s.size(); i++) {
        double x = s.value(i);
        if (!isStale(x)) {
          t[n] = s.time(i);
          v[n++] = Double.isNaN(x) ? Double.NaN : x;
        }
      }
    }
  }

  /**
   * Raw samples of a range selector at one time, for an instant query of {@code x[5m]}: each
   * series' samples in the window, with their own times.
   */
  List<QueryResult.Points> rangeSamples(Expr.Range r, long time) {
    Expr.Selector s = r.selector();
    long end = time - s.offsetMillis();
    long start = end - r.rangeMillis();
    List<QueryResult.Points> out = new ArrayList<>();
    Window w = new Window();
    for (int id : reader.select(s.matchers())) {
      budget.check();
      read(id, start + 1, end);
      w.fill(samples);
      if (w.n > 0) {
        budget.hold(w.n);
        out.add(
            new QueryResult.Points(
                reader.labels(id), Arrays.copyOf(w.t, w.n), Arrays.copyOf(w.v, w.n)));
      }
    }
    return out;
  }

  // ---- functions

  private Value call(Expr.Call c) {
    Function f = c.function();
    List<Expr> args = c.args();
    switch (f) {
      case RATE,
          IRATE,
          INCREASE,
          DELTA,
          IDELTA,
          AVG_OVER_TIME,
          MIN_OVER_TIME,
          MAX_OVER_TIME,
          SUM_OVER_TIME,
          COUNT_OVER_TIME,
          LAST_OVER_TIME:
        return overTime(f, (Expr.Range) args.get(0), null);
      case QUANTILE_OVER_TIME:
        return overTime(f, (Expr.Range) args.get(1), ((Value.Scalar) eval(args.get(0))).values());
      case ABSENT_OVER_TIME:
        return absentOverTime((Expr.Range) args.get(0));
      case ABSENT:
        return absent(args.get(0), (Value.Vector) eval(args.get(0)));
      case HISTOGRAM_QUANTILE:
        return histogramQuantile(
            ((Value.Scalar) eval(args.get(0))).values(), (Value.Vector) eval(args.get(1)));
      case TIME:
        {
          double[] out = new double[steps.count()];
          for (int k = 0; k < out.length; k++) {
            out[k] = steps.time(k) / 1000.0;
          }
          return new Value.Scalar(out);
        }
      case VECTOR:
        {
          double[] v = ((Value.Scalar) eval(args.get(0))).values().clone();
          budget.hold(v.length);
          return new Value.Vector(List.of(new Series(Labels.EMPTY, v)));
        }
      case SCALAR:
        return toScalar((Value.Vector) eval(args.get(0)));
      default:
        return elementwise(f, (Value.Vector) eval(args.get(0)), scalarArgs(args));
    }
  }

  private double[][] scalarArgs(List<Expr> args) {
    double[][] out = new double[args.size() - 1][];
    for (int i = 1; i < args.size(); i++) {
      out[i - 1] = ((Value.Scalar) eval(args.get(i))).values();
    }
    return out;
  }

  private Value.Vector elementwise(Function f, Value.Vector v, double[][] a) {
    List<Series> out = new ArrayList<>(v.series().size());
    for (Series s : v.series()) {
      double[] values = new double[s.values.length];
      boolean any = false;
      for (int k = 0; k < values.length; k++) {
        values[k] = Series.ABSENT;
        if (s.present(k)) {
          double x = s.values[k];
          double y =
              switch (f) {
                case ABS -> Math.abs(x);
                case CEIL -> Math.ceil(x);
                case FLOOR -> Math.floor(x);
                case SQRT -> Math.sqrt(x);
                case EXP -> Math.exp(x);
                case LN -> Math.log(x);
                case LOG2 -> log2(x);
                case LOG10 -> Math.log10(x);
                case CLAMP_MIN -> Math.max(x, a[0][k]);
                case CLAMP_MAX -> Math.min(x, a[0][k]);
                case CLAMP ->
                    a[1][k] < a[0][k] ? Series.ABSENT : Math.max(a[0][k], Math.min(a[1][k], x));
                case ROUND -> round(x, a.length > 0 ? a[0][k] : 1);
                default -> throw notEvaluated(f);
              };
          values[k] = y;
          any |= !Series.absent(y);
        }
      }
      if (any) {
        out.add(new Series(s.labels.withoutName(), values));
      }
    }
    return new Value.Vector(Vectors.mergeSameLabels(out));
  }

  private static QueryException notEvaluated(Function f) {
    return new QueryException(
        QueryException.Kind.BAD_DATA, "function " + f.text() + " not evaluated");
  }

  /** Exact on powers of two, as Go's math.Log2 (Math.log(x) / Math.log(2) is not). */
  private static double log2(double x) {
    int e = Math.getExponent(x);
    if (x > 0 && e >= Double.MIN_EXPONENT && x == Math.scalb(1.0, e)) {
      return e;
    }
    return Math.log(x) / Math.log(2);
  }

  private static double round(double x, double to) {
    double inverse = 1 / to;
    return Math.floor(x * inverse + 0.5) / inverse;
  }

  private Value.Scalar toScalar(Value.Vector v) {
    double[] out = new double[steps.count()];
    for (int k = 0; k < out.length; k++) {
      int present = 0;
      double value = Double.NaN;
      for (Series s : v.series()) {
        if (s.present(k)) {
          present++;
          value = s.values[k];
        }
      }
      out[k] = present == 1 ? value : Double.NaN;
    }
    return new Value.Scalar(out);
  }

  /** A range function over every series a range selector selects, window by window. */
  private Value.Vector overTime(Function f, Expr.Range r, double[] phi) {
    Expr.Selector s = r.selector();
    long offset = s.offsetMillis();
    long range = r.rangeMillis();
    long from = steps.start() - offset - range + 1;
    long to = steps.end() - offset;
    int k0 = steps.count();
    List<Series> out = new ArrayList<>();
    Window w = new Window();
    double[] scratch = new double[0];
    for (int id : reader.select(s.matchers())) {
      budget.check();
      read(id, from, to);
      w.fill(samples);
      if (w.n == 0) {
        continue;
      }
      double[] values = new double[k0];
      boolean any = false;
      int lo = 0;
      int hi = 0;
      for (int k = 0; k < k0; k++) {
        long end = steps.time(k) - offset;
        long start = end - range;
        while (lo < w.n && w.t[lo] <= start) {
          lo++;
        }
        if (hi < lo) {
          hi = lo;
        }
        while (hi < w.n && w.t[hi] <= end) {
          hi++;
        }
        double y = Series.ABSENT;
        if (hi > lo) {
          y =
              switch (f) {
                case RATE -> Windows.extrapolatedRate(w.t, w.v, lo, hi, start, end, true, true);
                case INCREASE ->
                    Windows.extrapolatedRate(w.t, w.v, lo, hi, start, end, true, false);
                case DELTA -> Windows.extrapolatedRate(w.t, w.v, lo, hi, start, end, false, false);
                case IRATE -> Windows.instant(w.t, w.v, lo, hi, true);
                case IDELTA -> Windows.instant(w.t, w.v, lo, hi, false);
                case AVG_OVER_TIME -> Windows.avg(w.v, lo, hi);
                case SUM_OVER_TIME -> Windows.sum(w.v, lo, hi);
                case MIN_OVER_TIME -> Windows.min(w.v, lo, hi);
                case MAX_OVER_TIME -> Windows.max(w.v, lo, hi);
                case COUNT_OVER_TIME -> hi - lo;
                case LAST_OVER_TIME -> w.v[hi - 1];
                case QUANTILE_OVER_TIME -> {
                  if (scratch.length < hi - lo) {
                    scratch = new double[hi - lo];
                  }
                  System.arraycopy(w.v, lo, scratch, 0, hi - lo);
                  yield Windows.quantile(phi[k], scratch, hi - lo);
                }
                default -> throw notEvaluated(f);
              };
        }
        values[k] = y;
        any |= !Series.absent(y);
      }
      if (any) {
        budget.hold(k0);
        Labels l = reader.labels(id);
        out.add(new Series(f.keepsName() ? l : l.withoutName(), values));
      }
    }
    return new Value.Vector(Vectors.requireDistinctLabels(out));
  }

  /** 1 where no series the range selector selects has a sample in the window. */
  private Value.Vector absentOverTime(Expr.Range r) {
    Expr.Selector s = r.selector();
    long offset = s.offsetMillis();
    boolean[] seen = new boolean[steps.count()];
    Window w = new Window();
    for (int id : reader.select(s.matchers())) {
      budget.check();
      read(id, steps.start() - offset - r.rangeMillis() + 1, steps.end() - offset);
      w.fill(samples);
      int lo = 0;
      for (int k = 0; k < seen.length && w.n > 0; k++) {
        long end = steps.time(k) - offset;
        while (lo < w.n && w.t[lo] <= end - r.rangeMillis()) {
          lo++;
        }
        seen[k] |= lo < w.n && w.t[lo] <= end;
      }
    }
    return absentSeries(s, seen);
  }

  private Value.Vector absent(Expr arg, Value.Vector v) {
    boolean[] seen = seen(v);
    Expr inner = arg;
    while (inner instanceof Expr.Paren p) {
      inner = p.expr();
    }
    return absentSeries(inner instanceof Expr.Selector s ? s : null, seen);
  }

  /** The steps at which some series of {@code v} has a sample. */
  private boolean[] seen(Value.Vector v) {
    boolean[] seen = new boolean[steps.count()];
    for (Series c : v.series()) {
      for (int k = 0; k < seen.length; k++) {
        seen[k] |= c.present(k);
      }
    }
    return seen;
  }

  /**
   * 1 where nothing was seen, labelled by the selector's equality matchers (not the name's; a label
   * matched again is dropped), as Prometheus labels {@code absent}.
   */
  private Value.Vector absentSeries(Expr.Selector s, boolean[] seen) {
    Labels.Builder b = new Labels.Builder();
    if (s != null) {
      Set<String> has =
          new HashSet<>(); // as Prometheus: an equality sets a label once, else it goes
      for (Matcher m : s.matchers()) {
        if (m.name().equals(Labels.NAME)) {
          continue;
        }
        if (m.op() == Matcher.Op.EQ && has.add(m.name())) {
          b.set(m.name(), m.value());
        } else {
          b.remove(m.name());
        }
      }
    }
    double[] values = new double[seen.length];
    boolean any = false;
    for (int k = 0; k < seen.length; k++) {
      values[k] = seen[k] ? Series.ABSENT : 1;
      any |= !seen[k];
    }
    return new Value.Vector(any ? List.of(new Series(b.build(), values)) : List.of());
  }

  private Value.Vector histogramQuantile(double[] phi, Value.Vector v) {
    Map<Labels, List<Series>> groups = new HashMap<>();
    Map<Series, Double> bounds = new HashMap<>();
    Set<String> le = Set.of("le");
    for (Series s : v.series()) {
      String text = s.labels.get("le");
      double bound;
      try {
        bound = parseBound(text);
      } catch (NumberFormatException e) {
        continue; // no le, or not a number: not a bucket
      }
      bounds.put(s, bound);
      groups.computeIfAbsent(s.labels.drop(le).withoutName(), l -> new ArrayList<>()).add(s);
    }
    List<Series> out = new ArrayList<>();
    Buckets buckets = new Buckets();
    for (Map.Entry<Labels, List<Series>> g : groups.entrySet()) {
      double[] values = new double[steps.count()];
      boolean any = false;
      for (int k = 0; k < values.length; k++) {
        buckets.clear();
        for (Series s : g.getValue()) {
          if (s.present(k)) {
            buckets.add(bounds.get(s), s.values[k]);
          }
        }
        values[k] = buckets.isEmpty() ? Series.ABSENT : buckets.quantile(phi[k]);
        any |= !buckets.isEmpty();
      }
      if (any) {
        budget.hold(values.length);
        out.add(new Series(g.getKey(), values));
      }
    }
    return new Value.Vector(out);
  }

  private static double parseBound(String text) {
    if (text.isEmpty()) {
      throw new NumberFormatException("no le");
    }
    return switch (text) {
      case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
      case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }
}
