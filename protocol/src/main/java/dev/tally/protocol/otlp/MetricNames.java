package dev.tally.protocol.otlp;

import dev.tally.protocol.model.Names;
import java.util.Map;

/**
 * The Prometheus name of an OTLP metric (CONTRACT §3): the sanitized name, then the unit's word
 * unless the name already ends with it ({@code s} → {@code _seconds}, {@code By/s} → {@code
 * _bytes_per_second}, {@code {packets}} and {@code 1} add nothing). The {@code _total} of a
 * monotonic Sum is added at exposition, after the unit; one the name already has is taken off
 * first, so that {@code foo_total} in bytes is {@code foo_bytes_total}, as Prometheus' translator
 * has it.
 */
final class MetricNames {
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"),
          Map.entry("h", "hours"),
          Map.entry("min", "minutes"),
          Map.entry("s", "seconds"),
          Map.entry("ms", "milliseconds"),
          Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"),
          Map.entry("KiBy", "kibibytes"),
          Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"),
          Map.entry("TiBy", "tibibytes"),
          Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"),
          Map.entry("GBy", "gigabytes"),
          Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"),
          Map.entry("V", "volts"),
          Map.entry("A", "amperes"),
          Map.entry("J", "joules"),
          Map.entry("W", "watts"),
          Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"),
          Map.entry("Hz", "hertz"),
          Map.entry("1", ""),
          Map.entry("%", "percent"));

  private static final Map<String, String> PER_UNITS =
      Map.of(
          "s", "second",
          "m", "minute",
          "h", "hour",
          "d", "day",
          "w", "week",
          "mo", "month",
          "y", "year");

  private MetricNames() {}

  /**
   * The unit word {@code name} ends with ({@code _seconds}: {@code seconds}), of those this class
   * appends; null if none. For OpenMetrics' {@code # UNIT}, whose unit must end the name.
   */
  static String unitWordOf(String name) {
    String found = null;
    for (String word : UNITS.values()) {
      if (!word.isEmpty()
          && name.endsWith("_" + word)
          && (found == null || word.length() > found.length())) {
        found = word;
      }
    }
    return found;
  }

  /**
   * The Prometheus name of a metric with this name and UCUM unit (the unit may be empty), without
   * the {@code _total} of counters; empty if the name is.
   */
  static String prometheusName(String name, String unit, boolean counter) {
    String base = Names.sanitize(name);
    if (base.isEmpty()) {
      return base;
    }
    if (counter && base.endsWith("_total") && base.length() > "_total".length()) {
      base = base.substring(0, base.length() - "_total".length());
    }
    String suffix = unitSuffix(unit);
    if (suffix.isEmpty() || base.endsWith("_" + suffix) || base.equals(suffix)) {
      return base;
    }
    return base.isEmpty() || base.endsWith("_") ? base + suffix : base + "_" + suffix;
  }

  /** The words a unit adds to a name, without a leading {@code _}; empty if none. */
  static String unitSuffix(String unit) {
    String u = dropAnnotations(unit).trim();
    if (u.isEmpty()) {
      return "";
    }
    int slash = u.indexOf('/');
    if (slash < 0) {
      return unitWord(u);
    }
    String main = unitWord(u.substring(0, slash).trim());
    String per = u.substring(slash + 1).trim();
    String perWord = PER_UNITS.getOrDefault(per, clean(per));
    if (perWord.isEmpty()) {
      return main;
    }
    return main.isEmpty() ? "per_" + perWord : main + "_per_" + perWord;
  }

  private static String unitWord(String unit) {
    String word = UNITS.get(unit);
    return word != null ? word : clean(unit);
  }

  /** A unit not in the tables: sanitized, without leading or trailing {@code _}. */
  private static String clean(String unit) {
    String s = Names.sanitize(unit);
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '_') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '_') {
      to--;
    }
    return s.substring(from, to);
  }

  /** Removes the {@code {...}} parts of a UCUM unit: {@code {packets}/s} → {@code /s}. */
  private static String dropAnnotations(String unit) {
    if (unit.indexOf('{') < 0) {
      return unit;
    }
    StringBuilder sb = new StringBuilder(unit.length());
    int depth = 0;
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
