package dev.tally.verticles.live;

import dev.tally.protocol.model.Names;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What a client asked to see: series whose name matches one of its globs ({@code *} any run of
 * characters, {@code ?} one). A glob is matched against the exposed family name ({@code
 * api_latency_seconds}) and the sanitized name ({@code api_latency}); the other characters of a
 * glob are sanitized as names are, so {@code api.latency*} matches what {@code api.latency} was
 * sent as. An item {@code label=glob} ({@code route=/cart*}) is a label matcher instead: a series
 * must also have that label (its name sanitized as series' label names are) with a value the glob
 * matches (as written), for every label matcher; with label matchers only, every name matches. No
 * item may hold a comma (the items' separator in {@code ?match=} and in {@link #id()}). Two
 * subscriptions with the same items are equal, whatever their order: clients that share one share
 * its encoded frames. Immutable.
 */
public final class Subscription {
  /** Globs one subscription may hold. */
  public static final int MAX_GLOBS = 32;

  /** Characters one glob may have. */
  public static final int MAX_GLOB_LENGTH = 200;

  /** Every series. */
  public static final Subscription ALL = of(List.of("*"));

  private final String id;
  private final List<String> globs;
  private final List<String[]> labels; // {name, value glob}
  private final List<String> exact; // the name globs without wildcards

  private Subscription(String id, List<String> globs, List<String[]> labels) {
    this.id = id;
    this.globs = globs;
    this.labels = labels;
    this.exact = globs.stream().filter(g -> g.indexOf('*') < 0 && g.indexOf('?') < 0).toList();
  }

  /**
   * A subscription to the given globs; blank ones are ignored, none at all means every series.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_GLOBS} globs or one is
   *     longer than {@link #MAX_GLOB_LENGTH} (the message says which, for the client)
   */
  public static Subscription of(List<String> globs) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String g : globs) {
      if (g != null && !g.isBlank()) {
        if (g.length() > MAX_GLOB_LENGTH) {
          throw new IllegalArgumentException(
              "a glob may have at most " + MAX_GLOB_LENGTH + " characters");
        }
        String item = g.trim();
        if (item.indexOf(',') >= 0) {
          throw new IllegalArgumentException("an item may not hold ',': give each on its own");
        }
        int eq = item.indexOf('=');
        if (eq == 0) {
          throw new IllegalArgumentException("a label matcher needs a label name before '='");
        }
        // label names are sanitized as series' are: http.route=/cart finds http_route
        sorted.add(
            eq > 0
                ? Names.sanitizeLabel(item.substring(0, eq).trim())
                    + "="
                    + item.substring(eq + 1).trim()
                : sanitize(item));
      }
    }
    if (sorted.size() > MAX_GLOBS) {
      throw new IllegalArgumentException("a subscription may hold at most " + MAX_GLOBS + " globs");
    }
    List<String> names = new ArrayList<>();
    List<String[]> labels = new ArrayList<>();
    for (String item : sorted) {
      int eq = item.indexOf('=');
      if (eq > 0) {
        labels.add(new String[] {item.substring(0, eq), item.substring(eq + 1)});
      } else {
        names.add(item);
      }
    }
    if (names.isEmpty()) {
      names.add("*");
      sorted.add("*");
    }
    return new Subscription(String.join(",", sorted), List.copyOf(names), List.copyOf(labels));
  }

  /** Parses a comma-separated list of globs ({@code ?match=a*,b*}). */
  public static Subscription parse(String commaSeparated) {
    return of(commaSeparated == null ? List.of() : List.of(commaSeparated.split(",")));
  }

  public boolean matches(SeriesSnapshot s) {
    for (String[] label : labels) {
      if (!hasLabel(s.key(), label[0], label[1])) {
        return false;
      }
    }
    for (String g : globs) {
      if (matches(g, s.family()) || matches(g, s.key().name())) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if a name item without wildcards names {@code s} (whether {@code s} matches is for {@link
   * #matches} to say): a feed that carries only some matches takes these first (a dashboard's
   * pinned metrics).
   */
  public boolean namesExactly(SeriesSnapshot s) {
    for (String name : exact) {
      if (name.equals(s.family()) || name.equals(s.key().name())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasLabel(SeriesKey key, String name, String glob) {
    for (int i = 0; i < key.labelCount(); i++) {
      if (key.labelName(i).equals(name) && matches(glob, key.labelValue(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Wildcard matching in linear time: on a mismatch after a {@code *}, go back to just after it and
   * let it take one more character (no backtracking over earlier stars).
   */
  static boolean matches(String glob, String name) {
    int g = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == name.charAt(n))) {
        g++;
        n++;
      } else if (g < glob.length() && glob.charAt(g) == '*') {
        star = g++;
        resume = n;
      } else if (star >= 0) {
        g = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (g < glob.length() && glob.charAt(g) == '*') {
      g++;
    }
    return g == glob.length();
  }

  /**
   * The globs (sanitized) and label matchers, sorted, comma-separated: equal for equal
   * subscriptions.
   */
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
    StringBuilder sb = new StringBuilder(glob.length() + 1);
    if (Character.isDigit(glob.charAt(0))) {
      sb.append('_'); // as a name that starts with a digit
    }
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
}
