package dev.tally.verticles.query;

import dev.tally.protocol.promql.Expr;
import dev.tally.verticles.history.HistoryStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Answers PromQL queries from the history: instant queries at one time, range queries at every step
 * of a range, each within the {@link QueryLimits}. Thread-safe: each query reads the store as it
 * was when the query began and has its own evaluator; callers run it off the event loops.
 */
public final class QueryEngine {
  private final HistoryStore store;
  private final QueryLimits limits;

  public QueryEngine(HistoryStore store, QueryLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  /**
   * Evaluates {@code e} at {@code time} (epoch ms).
   *
   * @param timeoutMillis at most this long, and at most the limits' timeout
   */
  public QueryResult instant(Expr e, long time, long timeoutMillis) {
    Budget budget = budget(timeoutMillis);
    Steps steps = new Steps(time, 1, 1);
    Evaluator ev = new Evaluator(store.reader(), steps, budget, limits.lookbackMillis());
    Expr inner = e;
    while (inner instanceof Expr.Paren p) {
      inner = p.expr();
    }
    if (inner instanceof Expr.Range r) {
      List<QueryResult.Points> out = ev.rangeSamples(r, time);
      out.sort(Comparator.comparing(QueryResult.Points::labels));
      return new QueryResult.Matrix(out);
    }
    Value v = ev.eval(e);
    if (v instanceof Value.Scalar s) {
      return new QueryResult.Scalar(time, s.values()[0]);
    }
    if (v instanceof Value.Text t) {
      return new QueryResult.Text(time, t.value());
    }
    List<QueryResult.Points> out = new ArrayList<>();
    for (Series s : ((Value.Vector) v).series()) {
      if (s.present(0)) {
        out.add(new QueryResult.Points(s.labels, new long[] {time}, new double[] {s.values[0]}));
      }
    }
    out.sort(Comparator.comparing(QueryResult.Points::labels));
    return new QueryResult.Vector(out);
  }

  /**
   * Evaluates {@code e} at {@code start}, {@code start + step}, ... up to {@code end}.
   *
   * @throws QueryException (bad data) if the expression is not a scalar or an instant vector (the
   *     API refuses more than {@link QueryLimits#MAX_STEPS} steps before)
   */
  public QueryResult.Matrix range(Expr e, long start, long end, long step, long timeoutMillis) {
    if (e.type() != Expr.Type.SCALAR && e.type() != Expr.Type.INSTANT_VECTOR) {
      throw new QueryException(
          QueryException.Kind.BAD_DATA,
          "invalid expression type \""
              + e.type()
              + "\" for range query, must be Scalar or"
              + " instant Vector");
    }
    Steps steps = Steps.of(start, end, step);
    Budget budget = budget(timeoutMillis);
    Value v = new Evaluator(store.reader(), steps, budget, limits.lookbackMillis()).eval(e);
    List<QueryResult.Points> out = new ArrayList<>();
    if (v instanceof Value.Scalar s) {
      out.add(points(dev.tally.protocol.promql.Labels.EMPTY, s.values(), steps));
    } else {
      for (Series s : ((Value.Vector) v).series()) {
        QueryResult.Points p = points(s.labels, s.values, steps);
        if (p.times().length > 0) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(QueryResult.Points::labels));
    return new QueryResult.Matrix(out);
  }

  private static QueryResult.Points points(
      dev.tally.protocol.promql.Labels labels, double[] values, Steps steps) {
    int n = 0;
    for (double v : values) {
      n += Series.absent(v) ? 0 : 1;
    }
    long[] t = new long[n];
    double[] v = new double[n];
    int i = 0;
    for (int k = 0; k < values.length; k++) {
      if (!Series.absent(values[k])) {
        t[i] = steps.time(k);
        v[i++] = values[k];
      }
    }
    return new QueryResult.Points(labels, t, v);
  }

  private Budget budget(long timeoutMillis) {
    long timeout =
        timeoutMillis > 0
            ? Math.min(timeoutMillis, limits.timeoutMillis())
            : limits.timeoutMillis();
    return new Budget(limits.maxSamples(), limits.maxPoints(), timeout);
  }
}
