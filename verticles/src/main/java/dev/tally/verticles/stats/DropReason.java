package dev.tally.verticles.stats;

/**
 * Why an accepted sample was not aggregated: the {@code reason} of {@code
 * tally_dropped_samples_total}.
 */
public enum DropReason {
  /** The series limit was reached and the overflow series too. */
  SERIES_LIMIT("series_limit"),
  /**
   * An OTLP point not newer than the last one its series took (a retried request, a point from
   * before the stream's latest start, or a gauge point older than the one shown).
   */
  STALE("stale"),
  /**
   * Timer and distribution samples, and OTLP points, of the tick in which another node became the
   * series' owner (a node joined): they are in this node's state, not in an interval it can send.
   */
  OWNER_CHANGED("owner_changed"),
  /**
   * A StatsD sample or OTLP point that would take its series beyond the largest finite double (a
   * counter's total, a gauge adjusted, a timer's sum): refused, so that no series is ever left at
   * ±Inf.
   */
  OVERFLOW("overflow"),
  /**
   * Samples and points of a series whose name is Tally's own ({@code tally_*}, {@code ALERTS},
   * {@code target_info}, the JVM and Vert.x meters): refused, so that no sender can break the page
   * or fake Tally's metrics and alerts.
   */
  RESERVED_NAME("reserved_name"),
  /** StatsD samples a mapping file's rule drops ({@code action: drop}). */
  MAPPING_DROP("mapping_drop"),
  /**
   * StatsD samples whose mapping rule's name expanded to nothing (a {@code $3} of a glob with two
   * {@code *}, a regex group that took no part): statsd_exporter's {@code empty_metric_name}.
   */
  EMPTY_METRIC_NAME("empty_metric_name");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
