package dev.tally.protocol.promql;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The PromQL functions Tally evaluates, with their argument and result types. */
public enum Function {
  RATE("rate", Expr.Type.RANGE_VECTOR),
  IRATE("irate", Expr.Type.RANGE_VECTOR),
  INCREASE("increase", Expr.Type.RANGE_VECTOR),
  DELTA("delta", Expr.Type.RANGE_VECTOR),
  IDELTA("idelta", Expr.Type.RANGE_VECTOR),
  AVG_OVER_TIME("avg_over_time", Expr.Type.RANGE_VECTOR),
  MIN_OVER_TIME("min_over_time", Expr.Type.RANGE_VECTOR),
  MAX_OVER_TIME("max_over_time", Expr.Type.RANGE_VECTOR),
  SUM_OVER_TIME("sum_over_time", Expr.Type.RANGE_VECTOR),
  COUNT_OVER_TIME("count_over_time", Expr.Type.RANGE_VECTOR),
  LAST_OVER_TIME("last_over_time", Expr.Type.RANGE_VECTOR),
  QUANTILE_OVER_TIME("quantile_over_time", Expr.Type.SCALAR, Expr.Type.RANGE_VECTOR),
  ABSENT_OVER_TIME("absent_over_time", Expr.Type.RANGE_VECTOR),
  HISTOGRAM_QUANTILE("histogram_quantile", Expr.Type.SCALAR, Expr.Type.INSTANT_VECTOR),
  ABSENT("absent", Expr.Type.INSTANT_VECTOR),
  CLAMP("clamp", Expr.Type.INSTANT_VECTOR, Expr.Type.SCALAR, Expr.Type.SCALAR),
  CLAMP_MIN("clamp_min", Expr.Type.INSTANT_VECTOR, Expr.Type.SCALAR),
  CLAMP_MAX("clamp_max", Expr.Type.INSTANT_VECTOR, Expr.Type.SCALAR),
  ABS("abs", Expr.Type.INSTANT_VECTOR),
  CEIL("ceil", Expr.Type.INSTANT_VECTOR),
  FLOOR("floor", Expr.Type.INSTANT_VECTOR),
  SQRT("sqrt", Expr.Type.INSTANT_VECTOR),
  EXP("exp", Expr.Type.INSTANT_VECTOR),
  LN("ln", Expr.Type.INSTANT_VECTOR),
  LOG2("log2", Expr.Type.INSTANT_VECTOR),
  LOG10("log10", Expr.Type.INSTANT_VECTOR),
  ROUND("round", 1, Expr.Type.INSTANT_VECTOR, Expr.Type.SCALAR),
  TIME("time", Expr.Type.SCALAR, List.of()),
  VECTOR("vector", Expr.Type.INSTANT_VECTOR, List.of(Expr.Type.SCALAR)),
  SCALAR("scalar", Expr.Type.SCALAR, List.of(Expr.Type.INSTANT_VECTOR));

  private static final Map<String, Function> BY_NAME =
      Stream.of(values()).collect(Collectors.toMap(f -> f.text, f -> f));

  private final String text;
  private final Expr.Type returns;
  private final List<Expr.Type> args;
  private final int optional;

  Function(String text, Expr.Type... args) {
    this(text, 0, args);
  }

  Function(String text, int optional, Expr.Type... args) {
    this.text = text;
    this.returns = Expr.Type.INSTANT_VECTOR;
    this.args = List.of(args);
    this.optional = optional;
  }

  Function(String text, Expr.Type returns, List<Expr.Type> args) {
    this.text = text;
    this.returns = returns;
    this.args = args;
    this.optional = 0;
  }

  /** The function called {@code name}; null for none Tally has. */
  public static Function named(String name) {
    return BY_NAME.get(name);
  }

  public String text() {
    return text;
  }

  public Expr.Type returns() {
    return returns;
  }

  public List<Expr.Type> args() {
    return args;
  }

  /** Arguments at the end that may be left out. */
  public int optional() {
    return optional;
  }

  /** True for the functions that keep the metric name (last_over_time). */
  public boolean keepsName() {
    return this == LAST_OVER_TIME;
  }
}
