package dev.tally.verticles.alert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Annotation templates in the Prometheus style: {@code {{ $value }}} and {@code {{ $labels.name
 * }}}; anything else is left as written.
 */
final class Templates {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\{\\{\\s*\\$(value|labels\\.([a-zA-Z_][a-zA-Z0-9_]*))\\s*}}");

  private Templates() {}

  static Map<String, String> render(
      Map<String, String> templates, Map<String, String> labels, double value) {
    Map<String, String> out = new LinkedHashMap<>();
    templates.forEach((k, t) -> out.put(k, render(t, labels, value)));
    return out;
  }

  static String render(String template, Map<String, String> labels, double value) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement =
          m.group(2) == null ? formatValue(value) : labels.getOrDefault(m.group(2), "");
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static String formatValue(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
