package dev.tally.protocol.promql;

import java.util.List;

/** A parsed PromQL expression: the subset {@link Parser} takes. Immutable. */
public sealed interface Expr {
  /** What an expression evaluates to. */
  enum Type {
    SCALAR("scalar"),
    INSTANT_VECTOR("instant vector"),
    RANGE_VECTOR("range vector"),
    STRING("string");

    private final String text;

    Type(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  Type type();

  /** A number: {@code 1}, {@code 2.5e3}, {@code 0x1f}, {@code Inf}, {@code NaN}. */
  record Number(double value) implements Expr {
    @Override
    public Type type() {
      return Type.SCALAR;
    }
  }

  /** A string literal. */
  record Text(String value) implements Expr {
    @Override
    public Type type() {
      return Type.STRING;
    }
  }

  /**
   * A selector of series: {@code name{label="v"} offset 5m}.
   *
   * @param matchers every matcher, the name's ({@code __name__=}) among them
   * @param offsetMillis how far back the data is read
   */
  record Selector(String name, List<Matcher> matchers, long offsetMillis) implements Expr {
    @Override
    public Type type() {
      return Type.INSTANT_VECTOR;
    }
  }

  /** A range selector: {@code selector[5m]}. */
  record Range(Selector selector, long rangeMillis) implements Expr {
    @Override
    public Type type() {
      return Type.RANGE_VECTOR;
    }
  }

  /** A function call. */
  record Call(Function function, List<Expr> args) implements Expr {
    @Override
    public Type type() {
      return function.returns();
    }
  }

  /**
   * An aggregation: {@code sum by (a) (x)}, {@code topk(3, x)}.
   *
   * @param param the parameter of topk, bottomk and quantile; null for the others
   * @param without true for {@code without (...)}, false for {@code by (...)} or none
   */
  record Aggregate(String op, Expr param, Expr expr, List<String> grouping, boolean without)
      implements Expr {
    @Override
    public Type type() {
      return Type.INSTANT_VECTOR;
    }
  }

  /** How the series of two vectors are paired. */
  enum Cardinality {
    ONE_TO_ONE,
    MANY_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_MANY
  }

  /**
   * Vector matching of a binary operation.
   *
   * @param on true for {@code on(...)}, false for {@code ignoring(...)} or none
   * @param labels the labels of {@code on} or {@code ignoring}
   * @param include the labels of {@code group_left(...)} or {@code group_right(...)}
   */
  record Matching(Cardinality card, boolean on, List<String> labels, List<String> include) {
    public static final Matching DEFAULT =
        new Matching(Cardinality.ONE_TO_ONE, false, List.of(), List.of());
  }

  /**
   * A binary operation.
   *
   * @param bool true if a comparison returns 0 or 1 instead of filtering
   * @param matching for two vectors; null otherwise
   */
  record Binary(String op, Expr lhs, Expr rhs, boolean bool, Matching matching) implements Expr {
    @Override
    public Type type() {
      return lhs.type() == Type.SCALAR && rhs.type() == Type.SCALAR
          ? Type.SCALAR
          : Type.INSTANT_VECTOR;
    }

    /** True for {@code == != > < >= <=}. */
    public boolean comparison() {
      return isComparison(op);
    }

    /** True for {@code and or unless}. */
    public boolean setOperation() {
      return isSetOperator(op);
    }

    static boolean isSetOperator(String op) {
      return op.equals("and") || op.equals("or") || op.equals("unless");
    }

    static boolean isComparison(String op) {
      return switch (op) {
        case "==", "!=", ">", "<", ">=", "<=" -> true;
        default -> false;
      };
    }
  }

  /** A minus sign before an expression. */
  record Negation(Expr expr) implements Expr {
    @Override
    public Type type() {
      return expr.type();
    }
  }

  /** Parentheses: kept, so that {@code (x)[5m]} and {@code (x) offset 1m} are refused. */
  record Paren(Expr expr) implements Expr {
    @Override
    public Type type() {
      return expr.type();
    }
  }
}
