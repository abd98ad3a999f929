package dev.tally.protocol.model;

/**
 * Name/value string pairs in one array ({@code name0, value0, name1, value1, ...}). Values that
 * were numbers or booleans (an OTLP attribute's int, double or bool) are kept as their JSON text
 * ({@code 42}, {@code 0.5}, {@code true}) and marked in a {@code long} beside the array: bit {@code
 * i} for pair {@code i}, so the first 64 pairs keep their type and the others are strings.
 */
public final class Pairs {
  /** No pairs. */
  public static final String[] NONE = new String[0];

  private Pairs() {}

  /** True if the value of pair {@code pair} is marked in {@code typed} as a number or boolean. */
  public static boolean typed(long typed, int pair) {
    return pair < Long.SIZE && (typed & (1L << pair)) != 0;
  }

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
