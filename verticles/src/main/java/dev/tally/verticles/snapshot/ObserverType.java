package dev.tally.verticles.snapshot;

/**
 * How a timer or distribution is exposed: statsd_exporter's {@code observer_type}, and both.
 *
 * <p>A Prometheus family has one type, so {@link #BOTH} exposes the histogram under the family name
 * and the sliding-window quantiles as a summary family {@code <family>_window} beside it.
 */
public enum ObserverType {
  /** Quantiles over the sliding window, {@code _sum} and {@code _count} (the default). */
  SUMMARY,
  /** Cumulative buckets ({@code _bucket{le}}), {@code _sum} and {@code _count}. */
  HISTOGRAM,
  /** {@link #HISTOGRAM}, and the quantiles as a summary family {@code <family>_window}. */
  BOTH;

  /** The suffix of the window summary's family under {@link #BOTH}. */
  public static final String SUMMARY_SUFFIX = "_window";

  /** True if the series has cumulative buckets. */
  public boolean buckets() {
    return this != SUMMARY;
  }

  /** The option's word: {@code summary}, {@code histogram} or {@code both}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The type of a {@link #word()}; null if there is none. */
  public static ObserverType ofWord(String word) {
    for (ObserverType t : values()) {
      if (t.word().equals(word)) {
        return t;
      }
    }
    return null;
  }
}
