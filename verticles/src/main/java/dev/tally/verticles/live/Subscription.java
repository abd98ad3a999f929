package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.SeriesSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a client asked to see: series whose name matches one of its globs ({@code *} any run of
 * characters, {@code ?} one). A glob is matched against the exposed family name ({@code
 * api_latency_seconds}) and the sanitized name ({@code api_latency}); the other characters of a
 * glob are sanitized as names are, so {@code api.latency*} matches what {@code api.latency} was
 * sent as. Two subscriptions with the same globs are equal, whatever their order: clients that
 * share one share its encoded frames. Immutable.
 */
public final class Subscription {
  /** Every series. */
  public static final Subscription ALL = of(List.of("*"));

  private final String id;
  private final List<Pattern> patterns;

  private Subscription(String id, List<Pattern> patterns) {
    this.id = id;
    this.patterns = patterns;
  }

  /** A subscription to the given globs; blank ones are ignored, none at all means every series. */
  public static Subscription of(List<String> globs) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String g : globs) {
      if (g != null && !g.isBlank()) {
        sorted.add(sanitize(g.trim()));
      }
    }
    if (sorted.isEmpty()) {
      sorted.add("*");
    }
    List<Pattern> patterns = new ArrayList<>(sorted.size());
    for (String g : sorted) {
      patterns.add(Pattern.compile(toRegex(g)));
    }
    return new Subscription(String.join(",", sorted), patterns);
  }

  /** Parses a comma-separated list of globs ({@code ?match=a*,b*}). */
  public static Subscription parse(String commaSeparated) {
    return of(commaSeparated == null ? List.of() : List.of(commaSeparated.split(",")));
  }

  public boolean matches(SeriesSnapshot s) {
    for (Pattern p : patterns) {
      if (p.matcher(s.family()).matches() || p.matcher(s.key().name()).matches()) {
        return true;
      }
    }
    return false;
  }

  /** The globs, sanitized and sorted, comma-separated: equal for equal subscriptions. */
  public String id() {
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription && ((Subscription) o).id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id;
  }

  /** Sanitizes a glob as names are, keeping {@code *} and {@code ?}. */
  private static String sanitize(String glob) {
    StringBuilder sb = new StringBuilder(glob.length());
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      boolean keep =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == ':'
              || c == '*'
              || c == '?';
      char out = keep ? c : '_';
      if (out != '_' || sb.length() == 0 || sb.charAt(sb.length() - 1) != '_') {
        sb.append(out);
      }
    }
    return sb.toString();
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }
}
