package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.AggregatorOptions;

/** Limits of the live feed. Setters validate and name the field; the feed copies its options. */
public final class LiveOptions {
  public static final long DEFAULT_TICK_MILLIS = AggregatorOptions.DEFAULT_TICK_MILLIS;

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

  /** Bytes written to one client and not yet taken by its socket beyond which it gets no more. */
  public static final long DEFAULT_CLIENT_MAX_BYTES = 1 << 20;

  /**
   * Bytes written to all clients together and not yet taken by their sockets beyond which frames
   * wait: a sixteenth of the maximum heap, at least 4 MiB.
   */
  public static final long DEFAULT_MAX_BYTES =
      Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 16);

  /** Subscribe messages one client may send in {@link #SUBSCRIBE_WINDOW_MILLIS}. */
  public static final int DEFAULT_MAX_SUBSCRIBES = 20;

  /** The window of {@link #getMaxSubscribes()}. */
  public static final long SUBSCRIBE_WINDOW_MILLIS = 10_000;

  private long tickMillis = DEFAULT_TICK_MILLIS;
  private long clientMaxBytes = DEFAULT_CLIENT_MAX_BYTES;
  private long maxBytes = DEFAULT_MAX_BYTES;
  private int maxSubscribes = DEFAULT_MAX_SUBSCRIBES;
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
    this.clientMaxBytes = other.clientMaxBytes;
    this.maxBytes = other.maxBytes;
    this.maxSubscribes = other.maxSubscribes;
  }

  public long getClientMaxBytes() {
    return clientMaxBytes;
  }

  /**
   * Bytes written to one client that its socket has not taken yet, beyond which it is written no
   * more until it takes them (one frame is always written to a client that holds nothing).
   */
  public LiveOptions setClientMaxBytes(long clientMaxBytes) {
    this.clientMaxBytes = positive("clientMaxBytes", clientMaxBytes);
    return this;
  }

  public long getMaxBytes() {
    return maxBytes;
  }

  /**
   * Bytes written to all clients that their sockets have not taken yet, beyond which frames wait
   * (latest wins) until some are taken.
   */
  public LiveOptions setMaxBytes(long maxBytes) {
    this.maxBytes = positive("maxBytes", maxBytes);
    return this;
  }

  public int getMaxSubscribes() {
    return maxSubscribes;
  }

  /**
   * Subscribe messages one client may send in 10 s; the ones beyond are answered with an error and
   * not applied.
   */
  public LiveOptions setMaxSubscribes(int maxSubscribes) {
    this.maxSubscribes = (int) positive("maxSubscribes", maxSubscribes);
    return this;
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
