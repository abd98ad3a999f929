package dev.tally.protocol.prometheus;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The metric names a user series may not take because Tally's own page uses them: one user gauge
 * named {@code tally_series_active} or {@code jvm_threads_live_threads} would give the page a
 * second HELP line for the family (promtool then rejects the whole page), and one named {@code
 * ALERTS} would fake an alert. Reserved: every name starting with {@code tally_} or {@code vertx_}
 * (Vert.x registers its meters as it meets traffic), {@code ALERTS} and {@code ALERTS_FOR_STATE},
 * {@code target_info}, and the names of the process's other meters (JVM, process, system) given at
 * start. Names are compared without their sample suffix ({@code _total}, {@code _count}, ...), so a
 * user counter cannot take a meter's samples either. Immutable.
 */
public final class ReservedNames implements Predicate<String> {
  /** Tally's own prefixes and names, without the process's meters. */
  public static final ReservedNames TALLY = new ReservedNames(List.of());

  private static final List<String> PREFIXES = List.of("tally_", "vertx_");
  private static final Set<String> EXACT = Set.of("ALERTS", "ALERTS_FOR_STATE", "target_info");
  private static final List<String> SUFFIXES =
      List.of("_total", "_created", "_count", "_sum", "_bucket", "_max");

  private final Set<String> meters = new HashSet<>();

  /** Reserves also the metric names (families or samples) of {@code meterNames}. */
  public ReservedNames(Iterable<String> meterNames) {
    for (String name : meterNames) {
      meters.add(base(name));
    }
  }

  /**
   * The reserved names of a Prometheus text page (the process's meters): its families and the names
   * of its samples.
   */
  public static ReservedNames ofPage(String page) {
    List<String> names = new java.util.ArrayList<>();
    for (String line : page.split("\n")) {
      if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
        int end = line.indexOf(' ', 7);
        names.add(line.substring(7, end < 0 ? line.length() : end));
      } else if (!line.isEmpty() && line.charAt(0) != '#') {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
          end++;
        }
        names.add(line.substring(0, end));
      }
    }
    return new ReservedNames(names);
  }

  /** {@link #reserved(String)}: a family name's test. */
  @Override
  public boolean test(String family) {
    return reserved(family);
  }

  /** True if a user series may not have the family (or sample) name {@code name}. */
  public boolean reserved(String name) {
    if (EXACT.contains(name)) {
      return true;
    }
    for (String prefix : PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return !meters.isEmpty() && meters.contains(base(name));
  }

  private static String base(String name) {
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
