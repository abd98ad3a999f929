package dev.tally.protocol.model;

/**
 * Prometheus name rules shared by every protocol: characters outside {@code [a-zA-Z0-9_:]} become
 * {@code _}, runs of {@code _} collapse to one, and a leading digit gets a {@code _} prefix.
 *
 * <p>{@link #hashSanitized} applies the same rule as {@link #sanitize} without allocating, so that
 * the hot path can route a raw name by its sanitized form.
 */
public final class Names {
  private static final boolean[] NAME_CHARS = new boolean[128];
  private static final boolean[] LABEL_CHARS = new boolean[128];

  static {
    for (int c = 'a'; c <= 'z'; c++) {
      NAME_CHARS[c] = true;
      NAME_CHARS[c - 'a' + 'A'] = true;
    }
    for (int c = '0'; c <= '9'; c++) {
      NAME_CHARS[c] = true;
    }
    NAME_CHARS['_'] = true;
    System.arraycopy(NAME_CHARS, 0, LABEL_CHARS, 0, 128);
    NAME_CHARS[':'] = true;
  }

  private Names() {}

  /** Sanitizes a metric name; an empty name stays empty. */
  public static String sanitize(String name) {
    return sanitize(name, NAME_CHARS);
  }

  /** Sanitizes a label name as {@link #sanitize} does, except that {@code :} is replaced too. */
  public static String sanitizeLabel(String name) {
    return sanitize(name, LABEL_CHARS);
  }

  /** True if sanitizing would not change {@code name}. */
  private static boolean isSanitized(String name, boolean[] allowed) {
    if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      return false;
    }
    char prev = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 128 || !allowed[c] || (c == '_' && prev == '_')) {
        return false;
      }
      prev = c;
    }
    return true;
  }

  /**
   * Hashes {@code bytes[from, to)} as if it were first sanitized with the rule for metric names
   * ({@code label} false) or label names ({@code label} true), continuing from {@code seed}.
   */
  public static int hashSanitized(byte[] bytes, int from, int to, int seed, boolean label) {
    boolean[] allowed = label ? LABEL_CHARS : NAME_CHARS;
    int h = seed;
    if (from < to && bytes[from] >= '0' && bytes[from] <= '9') {
      h = 31 * h + '_';
    }
    int prev = -1;
    for (int i = from; i < to; i++) {
      int b = bytes[i];
      int c = b >= 0 && allowed[b] ? b : '_';
      if (c == '_' && prev == '_') {
        continue;
      }
      h = 31 * h + c;
      prev = c;
    }
    return h;
  }

  private static String sanitize(String name, boolean[] allowed) {
    if (isSanitized(name, allowed)) {
      return name; // most names and label keys already are: no copy
    }
    StringBuilder out = new StringBuilder(name.length() + 1);
    if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') {
      out.append('_');
    }
    char prev = 0;
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      char c = ch < 128 && allowed[ch] ? ch : '_';
      if (c == '_' && prev == '_') {
        continue;
      }
      out.append(c);
      prev = c;
    }
    return out.toString();
  }
}
