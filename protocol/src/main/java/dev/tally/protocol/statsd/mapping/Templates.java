package dev.tally.protocol.statsd.mapping;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expansion of {@code $1} and {@code ${1}} in a rule's name and label values, the two ways
 * statsd_exporter does it: a glob rule's by its own formatter, a regex rule's by Go's {@code
 * regexp.Expand}. They differ, and both are kept: in a glob rule {@code $1_$2} is one reference
 * named {@code 1_$2}, which is not a number, so it expands to nothing (write {@code ${1}_$2}); in a
 * regex rule it is group {@code 1_} (none: nothing) then group 2.
 */
final class Templates {
  /** statsd_exporter's glob reference: {@code $} or {@code ${}, a run of these, an optional }. */
  private static final Pattern GLOB_REFERENCE = Pattern.compile("\\$\\{?([a-zA-Z0-9_$]+)}?");

  private Templates() {}

  /** True if {@code template} refers to no capture: it expands to itself. */
  static boolean isPlain(String template) {
    return template.indexOf('$') < 0;
  }

  /**
   * A glob rule's template with {@code captures[0..count)} as {@code $1..}: a reference that is not
   * a number from 1 to {@code count} expands to nothing.
   */
  static String expandGlob(String template, String[] captures, int count) {
    if (isPlain(template)) {
      return template;
    }
    Matcher m = GLOB_REFERENCE.matcher(template);
    StringBuilder sb = new StringBuilder(template.length() + 16);
    int last = 0;
    while (m.find()) {
      sb.append(template, last, m.start());
      int index = atoi(m.group(1));
      if (index >= 1 && index <= count) {
        sb.append(captures[index - 1]);
      }
      last = m.end();
    }
    return sb.append(template, last, template.length()).toString();
  }

  /** Go's {@code strconv.Atoi} for the digits this needs: -1 if not all digits (or too long). */
  private static int atoi(String s) {
    if (s.isEmpty() || s.length() > 9) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * A regex rule's template expanded as Go's {@code Regexp.Expand}: {@code $name} takes the longest
   * run of letters, digits and {@code _}, {@code ${name}} is braced, {@code $$} is a {@code $}; a
   * name of digits (without a leading zero) is a group number, another a group name; a group that
   * does not exist or took no part expands to nothing; a {@code $} that starts no reference stays.
   */
  static String expandRegex(String template, Matcher m) {
    return expandRegex(template, m, Map.of());
  }

  /** As {@link #expandRegex(String, Matcher)}, group names as written mapped to Java's. */
  static String expandRegex(String template, Matcher m, Map<String, String> names) {
    if (isPlain(template)) {
      return template;
    }
    StringBuilder sb = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      int at = i + 1;
      boolean brace = at < n && template.charAt(at) == '{';
      if (brace) {
        at++;
      }
      int nameFrom = at;
      while (at < n && isNameChar(template.charAt(at))) {
        at++;
      }
      boolean ok = at > nameFrom;
      if (ok && brace) {
        ok = at < n && template.charAt(at) == '}';
      }
      if (!ok) {
        sb.append('$'); // malformed: the $ is text
        i++;
        continue;
      }
      sb.append(group(m, template.substring(nameFrom, at), names));
      i = brace ? at + 1 : at;
    }
    return sb.toString();
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  private static String group(Matcher m, String name, Map<String, String> names) {
    int number = name.length() > 1 && name.charAt(0) == '0' ? -1 : atoi(name);
    String value = null;
    if (number >= 0) {
      value = number <= m.groupCount() ? m.group(number) : null;
    } else {
      try {
        value = m.group(names.getOrDefault(name, name));
      } catch (IllegalArgumentException e) {
        value = null; // no group of that name
      }
    }
    return value == null ? "" : value;
  }
}
