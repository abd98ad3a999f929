package dev.tally.verticles.snapshot;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.prometheus.PrometheusText;
import java.util.Comparator;

/**
 * A series as every stage after aggregation names it: its key, the OTLP metric's description, and
 * the family name and labels by which the exposition, the live feed ({@code family{labels}}) and
 * alert rules know it. Made once per series, when the series is made; immutable.
 */
public final class SeriesName {
  /** The order of a tick's series ({@link SeriesSnapshot#ORDER}): family, labels, kind. */
  public static final Comparator<SeriesName> ORDER =
      (a, b) -> SeriesSnapshot.compare(a.family, a.labels, a.key, b.family, b.labels, b.key);

  private final SeriesKey key;
  private final String help;
  private final String family;
  private final String labels;
  private final long createdMillis;

  /**
   * @param help the OTLP metric's description; null or empty for none
   */
  public SeriesName(SeriesKey key, String help) {
    this(key, help, familyOf(key), 0);
  }

  /**
   * @param family {@link #familyOf familyOf(key)}, already computed (the reserved-name check needs
   *     it before the series is made)
   * @param createdMillis when the series began (epoch ms); 0 if unknown
   */
  public SeriesName(SeriesKey key, String help, String family, long createdMillis) {
    this.key = key;
    this.createdMillis = createdMillis;
    this.help = help == null || help.isEmpty() ? null : help;
    this.family = family;
    this.labels = PrometheusText.labels(key);
  }

  /** The family name a series of {@code key} is known by. */
  public static String familyOf(SeriesKey key) {
    return PrometheusText.familyName(key);
  }

  public SeriesKey key() {
    return key;
  }

  /** The description; null if none. */
  public String help() {
    return help;
  }

  /** The exposed family name ({@code x_total}, {@code x_seconds}, {@code x}). */
  public String family() {
    return family;
  }

  /** The labels, formatted and escaped for the Prometheus text format ({@code a="x",b="y"}). */
  public String labels() {
    return labels;
  }

  /**
   * When the series began, epoch milliseconds (OpenMetrics' {@code _created}): when this node made
   * it, or the start of the OTLP stream it was made for; 0 if unknown.
   */
  public long createdMillis() {
    return createdMillis;
  }
}
