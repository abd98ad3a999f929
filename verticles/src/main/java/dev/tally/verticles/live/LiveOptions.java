package dev.tally.verticles.live;

/** Limits of the live feed. Setters validate and name the field; the feed copies its options. */
public final class LiveOptions {
  public static final long DEFAULT_TICK_MILLIS = 1000;

  /** Clients beyond this are refused with 503. */
  public static final int DEFAULT_MAX_CLIENTS = 5000;

  /** Series per snapshot or backfill frame; a larger match is cut and says its total. */
  public static final int DEFAULT_MAX_SERIES = 1000;

  /** Series that keep a history. */
  public static final int DEFAULT_HISTORY_SERIES = 1000;

  /** Ticks of history per series: 5 minutes at the default tick. */
  public static final int DEFAULT_HISTORY_POINTS = 300;

  /** A client that cannot take frames for this long is closed. */
  public static final long DEFAULT_SLOW_CLOSE_MILLIS = 30_000;

  private long tickMillis = DEFAULT_TICK_MILLIS;
  private int maxClients = DEFAULT_MAX_CLIENTS;
  private int maxSeries = DEFAULT_MAX_SERIES;
  private int historySeries = DEFAULT_HISTORY_SERIES;
  private int historyPoints = DEFAULT_HISTORY_POINTS;
  private long slowCloseMillis = DEFAULT_SLOW_CLOSE_MILLIS;

  public LiveOptions() {}

  public LiveOptions(LiveOptions other) {
    this.tickMillis = other.tickMillis;
    this.maxClients = other.maxClients;
    this.maxSeries = other.maxSeries;
    this.historySeries = other.historySeries;
    this.historyPoints = other.historyPoints;
    this.slowCloseMillis = other.slowCloseMillis;
  }

  public long getTickMillis() {
    return tickMillis;
  }

  public LiveOptions setTickMillis(long tickMillis) {
    this.tickMillis = positive("tickMillis", tickMillis);
    return this;
  }

  public int getMaxClients() {
    return maxClients;
  }

  public LiveOptions setMaxClients(int maxClients) {
    this.maxClients = (int) positive("maxClients", maxClients);
    return this;
  }

  public int getMaxSeries() {
    return maxSeries;
  }

  public LiveOptions setMaxSeries(int maxSeries) {
    this.maxSeries = (int) positive("maxSeries", maxSeries);
    return this;
  }

  public int getHistorySeries() {
    return historySeries;
  }

  public LiveOptions setHistorySeries(int historySeries) {
    this.historySeries = (int) positive("historySeries", historySeries);
    return this;
  }

  public int getHistoryPoints() {
    return historyPoints;
  }

  public LiveOptions setHistoryPoints(int historyPoints) {
    this.historyPoints = (int) positive("historyPoints", historyPoints);
    return this;
  }

  public long getSlowCloseMillis() {
    return slowCloseMillis;
  }

  public LiveOptions setSlowCloseMillis(long slowCloseMillis) {
    this.slowCloseMillis = positive("slowCloseMillis", slowCloseMillis);
    return this;
  }

  private static long positive(String field, long v) {
    if (v < 1) {
      throw new IllegalArgumentException(field + " must be >= 1, was " + v);
    }
    return v;
  }
}
