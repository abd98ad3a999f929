package dev.tally.verticles.export;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks series by globs on their family name: {@code *} any run of characters, {@code ?} one; every
 * other character stands for itself. No globs: every series. Immutable.
 */
final class SeriesMatch {
  private final Pattern pattern; // null: all

  SeriesMatch(List<String> globs) {
    if (globs.isEmpty()) {
      pattern = null;
      return;
    }
    StringBuilder re = new StringBuilder();
    for (String glob : globs) {
      if (re.length() > 0) {
        re.append('|');
      }
      re.append("(?:");
      StringBuilder literal = new StringBuilder();
      for (char c : glob.toCharArray()) {
        if (c == '*' || c == '?') {
          if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
          }
          re.append(c == '*' ? ".*" : ".");
        } else {
          literal.append(c);
        }
      }
      if (literal.length() > 0) {
        re.append(Pattern.quote(literal.toString()));
      }
      re.append(')');
    }
    pattern = Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  boolean matches(String family) {
    return pattern == null || pattern.matcher(family).matches();
  }
}
