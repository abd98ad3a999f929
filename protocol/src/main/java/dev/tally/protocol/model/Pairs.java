package dev.tally.protocol.model;

/** Name/value string pairs in one array ({@code name0, value0, name1, value1, ...}). */
public final class Pairs {
  /** No pairs. */
  public static final String[] NONE = new String[0];

  private Pairs() {}

  /** The value of the first pair named {@code name}, or null. */
  public static String value(String[] pairs, String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return pairs[i + 1];
      }
    }
    return null;
  }
}
