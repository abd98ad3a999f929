package dev.tally.protocol.statsd.mapping;

import dev.tally.protocol.model.MetricKind;

/**
 * The StatsD types a rule may be limited to ({@code match_metric_type}): {@code ms}, {@code h} and
 * {@code d} are all observers; sets have no type of their own, so only rules without one match
 * them.
 */
public enum MatchType {
  COUNTER,
  GAUGE,
  OBSERVER,
  SET;

  /** The type of a StatsD kind. */
  public static MatchType of(MetricKind kind) {
    switch (kind) {
      case COUNTER:
        return COUNTER;
      case GAUGE:
        return GAUGE;
      case SET:
        return SET;
      default:
        return OBSERVER;
    }
  }

  /** The type of a StatsD line's type code ({@code c g ms h d s}); null if unknown. */
  public static MatchType ofLineType(String type) {
    switch (type) {
      case "c":
        return COUNTER;
      case "g":
        return GAUGE;
      case "s":
        return SET;
      case "ms":
      case "h":
      case "d":
        return OBSERVER;
      default:
        return null;
    }
  }
}
