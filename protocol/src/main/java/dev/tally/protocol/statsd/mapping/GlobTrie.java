package dev.tally.protocol.statsd.mapping;

import java.util.HashMap;
import java.util.Map;

/**
 * The glob rules of one StatsD type, as a trie of the names' dot-separated components (what
 * statsd_exporter's FSM is): a lookup walks the name's components, a literal and {@code *} child at
 * each, so that its cost depends on the name, not on how many rules there are. A {@code *} matches
 * one whole component, empty included; a glob matches names of as many components as it has.
 *
 * <p>Ordered (statsd_exporter's default), the rule first in the file wins among all that match;
 * with {@code glob_disable_ordering}, a literal component wins over {@code *}, left to right. Not
 * kept from statsd_exporter: its FSM sets a rule only on the state it creates, so a glob that is a
 * prefix of an earlier one ({@code a.b} after {@code a.b.c}) or repeats one never matched there,
 * and unordered it skipped the backtracking some names need; here every rule matches what its
 * pattern says. Immutable once built; lookups from any thread.
 */
final class GlobTrie {
  private static final int NONE = Integer.MAX_VALUE;

  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    Node star;

    /** The first rule (lowest index) whose glob ends here; NONE if none. */
    int rule = NONE;

    /** The lowest rule index ending here or below: prunes the ordered search. */
    int lowest = NONE;
  }

  private final Node root = new Node();
  private final boolean ordered;
  private int maxStars;

  GlobTrie(boolean ordered) {
    this.ordered = ordered;
  }

  /** Adds rule {@code index}'s glob, already split into components. */
  void add(String[] components, int index) {
    Node node = root;
    root.lowest = Math.min(root.lowest, index);
    int stars = 0;
    for (String c : components) {
      Node next;
      if (c.equals("*")) {
        stars++;
        if (node.star == null) {
          node.star = new Node();
        }
        next = node.star;
      } else {
        next = node.children.computeIfAbsent(c, k -> new Node());
      }
      next.lowest = Math.min(next.lowest, index);
      node = next;
    }
    node.rule = Math.min(node.rule, index);
    maxStars = Math.max(maxStars, stars);
  }

  /** The most {@code *} of one glob: the size of a captures array. */
  int maxStars() {
    return maxStars;
  }

  /**
   * The rule that matches {@code components}, with its {@code *} components in {@code captures} (at
   * least {@link #maxStars()} long); -1 if none.
   */
  int match(String[] components, String[] captures) {
    Search s = new Search(components, captures);
    s.walk(root, 0, 0);
    return s.best == NONE ? -1 : s.best;
  }

  private final class Search {
    final String[] components;
    final String[] captures;
    final String[] path;
    int best = NONE;

    Search(String[] components, String[] captures) {
      this.components = components;
      this.captures = captures;
      this.path = new String[captures.length];
    }

    /** Walks {@code node} at component {@code depth}; true to stop (unordered: found). */
    boolean walk(Node node, int depth, int stars) {
      if (node.lowest >= best) {
        return false; // nothing below comes before what was found
      }
      if (depth == components.length) {
        if (node.rule < best) {
          best = node.rule;
          System.arraycopy(path, 0, captures, 0, stars);
          return !ordered;
        }
        return false;
      }
      Node literal = node.children.get(components[depth]);
      if (literal != null && walk(literal, depth + 1, stars)) {
        return true;
      }
      if (node.star != null && stars < path.length) {
        path[stars] = components[depth];
        return walk(node.star, depth + 1, stars + 1);
      }
      return false;
    }
  }
}
