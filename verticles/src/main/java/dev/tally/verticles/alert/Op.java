package dev.tally.verticles.alert;

/** A rule's comparison of the value with the threshold. */
public enum Op {
  GT(">"),
  GE(">="),
  LT("<"),
  LE("<="),
  EQ("=="),
  NE("!=");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  /** True if {@code value op threshold}; never for NaN (no data never fires). */
  public boolean test(double value, double threshold) {
    if (Double.isNaN(value)) {
      return false;
    }
    switch (this) {
      case GT:
        return value > threshold;
      case GE:
        return value >= threshold;
      case LT:
        return value < threshold;
      case LE:
        return value <= threshold;
      case EQ:
        return value == threshold;
      default:
        return value != threshold;
    }
  }

  static Op of(String symbol) {
    for (Op op : values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    return null;
  }
}
