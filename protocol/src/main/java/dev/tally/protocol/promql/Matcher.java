package dev.tally.protocol.promql;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A label matcher of a selector: {@code name = "v"}, {@code !=}, {@code =~} and {@code !~}. A
 * regular expression matches the whole value (Prometheus anchors it) and is Java's, which takes the
 * RE2 syntax Prometheus uses for the usual cases; its length is bounded so that a query cannot take
 * long to compile it.
 */
public final class Matcher {
  /** The longest regular expression taken. */
  public static final int MAX_REGEX = 1024;

  /** How a matcher compares. */
  public enum Op {
    EQ("="),
    NE("!="),
    RE("=~"),
    NRE("!~");

    private final String text;

    Op(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  private final String name;
  private final Op op;
  private final String value;
  private final Pattern pattern; // RE and NRE only

  private Matcher(String name, Op op, String value, Pattern pattern) {
    this.name = name;
    this.op = op;
    this.value = value;
    this.pattern = pattern;
  }

  /**
   * A matcher.
   *
   * @throws IllegalArgumentException if a regular expression is too long or does not compile
   */
  public static Matcher of(String name, Op op, String value) {
    Pattern p = null;
    if (op == Op.RE || op == Op.NRE) {
      if (value.length() > MAX_REGEX) {
        throw new IllegalArgumentException(
            "regular expression longer than " + MAX_REGEX + " characters");
      }
      try {
        p = Pattern.compile(value, Pattern.DOTALL);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regular expression " + quoted(value) + ": " + e.getDescription());
      }
    }
    return new Matcher(name, op, value, p);
  }

  public String name() {
    return name;
  }

  public Op op() {
    return op;
  }

  public String value() {
    return value;
  }

  /** True if the label value {@code v} ("" for a missing label) matches. */
  public boolean matches(String v) {
    return switch (op) {
      case EQ -> value.equals(v);
      case NE -> !value.equals(v);
      case RE -> pattern.matcher(v).matches();
      case NRE -> !pattern.matcher(v).matches();
    };
  }

  /** True if the series {@code labels} match. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && name.equals(m.name) && op == m.op && value.equals(m.value);
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + op.hashCode()) * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + op.text + quoted(value);
  }

  static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
