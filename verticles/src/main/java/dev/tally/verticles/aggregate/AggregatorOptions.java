package dev.tally.verticles.aggregate;

import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.verticles.cluster.SeriesDelta;
import java.util.function.Supplier;

/** Options of one aggregation shard; every time is in milliseconds. */
public final class AggregatorOptions {
  /** The most significant digits a histogram may keep. */
  public static final int MAX_HISTOGRAM_DIGITS = SeriesDelta.MAX_DIGITS;

  /** Default tick: 1 s, the live dashboard's refresh and the interval of counter rates. */
  public static final long DEFAULT_TICK_MILLIS = 1000;

  /** Default percentile window: 60 s, as in Micrometer's and Prometheus clients' summaries. */
  public static final long DEFAULT_WINDOW_MILLIS = 60_000;

  /**
   * Default idle time after which a series leaves: 10 minutes (statsd_exporter's default TTL is
   * off; Etsy deletes after a flush).
   */
  public static final long DEFAULT_SERIES_TTL_MILLIS = 600_000;

  /** The shortest series TTL. */
  public static final long MIN_SERIES_TTL_MILLIS = 1000;

  /** Default HdrHistogram precision: 2 significant digits, values within 1 %. */
  public static final int DEFAULT_HISTOGRAM_DIGITS = 2;

  /**
   * Default number of timer/distribution series whose window percentiles one shard recomputes per
   * tick: bounds the tick's cost when very many histograms change at once; the rest wait for a
   * later tick.
   */
  public static final int DEFAULT_QUANTILE_BUDGET = 256;

  private long tickMillis = DEFAULT_TICK_MILLIS;
  private long windowMillis = DEFAULT_WINDOW_MILLIS;
  private long seriesTtlMillis = DEFAULT_SERIES_TTL_MILLIS;
  private int histogramDigits = DEFAULT_HISTOGRAM_DIGITS;
  private int quantileBudget = DEFAULT_QUANTILE_BUDGET;
  private HistogramLayout statsdLayout = HistogramLayout.SUMMARY;
  private Supplier<Mappings> statsdMappings = () -> null;

  public AggregatorOptions() {}

  public AggregatorOptions(AggregatorOptions other) {
    tickMillis = other.tickMillis;
    windowMillis = other.windowMillis;
    seriesTtlMillis = other.seriesTtlMillis;
    histogramDigits = other.histogramDigits;
    quantileBudget = other.quantileBudget;
    statsdLayout = other.statsdLayout;
    statsdMappings = other.statsdMappings;
  }

  public long getTickMillis() {
    return tickMillis;
  }

  /** Sets the tick; must be between 10 ms and 1 hour. */
  public AggregatorOptions setTickMillis(long tickMillis) {
    if (tickMillis < 10 || tickMillis > 3_600_000) {
      throw new IllegalArgumentException(
          "tickMillis must be between 10 and 3600000, was " + tickMillis);
    }
    this.tickMillis = tickMillis;
    return this;
  }

  public long getWindowMillis() {
    return windowMillis;
  }

  /** Sets the percentile window; must be at least 1 s. It is rounded to whole ticks. */
  public AggregatorOptions setWindowMillis(long windowMillis) {
    if (windowMillis < 1000) {
      throw new IllegalArgumentException("windowMillis must be >= 1000, was " + windowMillis);
    }
    this.windowMillis = windowMillis;
    return this;
  }

  public long getSeriesTtlMillis() {
    return seriesTtlMillis;
  }

  /** Sets how long a series may stay idle before it is removed; must be at least 1 s. */
  public AggregatorOptions setSeriesTtlMillis(long seriesTtlMillis) {
    if (seriesTtlMillis < MIN_SERIES_TTL_MILLIS) {
      throw new IllegalArgumentException("seriesTtlMillis must be >= 1000, was " + seriesTtlMillis);
    }
    this.seriesTtlMillis = seriesTtlMillis;
    return this;
  }

  public int getHistogramDigits() {
    return histogramDigits;
  }

  /** Sets HdrHistogram's significant value digits; must be between 1 and 3. */
  public AggregatorOptions setHistogramDigits(int histogramDigits) {
    if (histogramDigits < 1 || histogramDigits > MAX_HISTOGRAM_DIGITS) {
      throw new IllegalArgumentException(
          "histogramDigits must be between 1 and "
              + MAX_HISTOGRAM_DIGITS
              + ", was "
              + histogramDigits);
    }
    this.histogramDigits = histogramDigits;
    return this;
  }

  public int getQuantileBudget() {
    return quantileBudget;
  }

  /** Sets how many histogram series a shard recomputes per tick; must be at least 1. */
  public AggregatorOptions setQuantileBudget(int quantileBudget) {
    if (quantileBudget < 1) {
      throw new IllegalArgumentException("quantileBudget must be >= 1, was " + quantileBudget);
    }
    this.quantileBudget = quantileBudget;
    return this;
  }

  public HistogramLayout getStatsdLayout() {
    return statsdLayout;
  }

  /**
   * Sets how StatsD timers and distributions are exposed; {@link HistogramLayout#SUMMARY} first.
   */
  public AggregatorOptions setStatsdLayout(HistogramLayout statsdLayout) {
    this.statsdLayout = java.util.Objects.requireNonNull(statsdLayout, "statsdLayout");
    return this;
  }

  public Supplier<Mappings> getStatsdMappings() {
    return statsdMappings;
  }

  /**
   * Sets where the shards find the mapping file in force (statsd_exporter's rules for StatsD
   * names), read once per batch: a supplier that answers null for none (the default), and another
   * {@link Mappings} after a reload, from which the shards map every raw key anew.
   */
  public AggregatorOptions setStatsdMappings(Supplier<Mappings> statsdMappings) {
    this.statsdMappings = java.util.Objects.requireNonNull(statsdMappings, "statsdMappings");
    return this;
  }
}
