package dev.tally.gateway.config;

import static dev.tally.gateway.config.Specs.*;

import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.live.LiveOptions;
import java.util.Map;

/**
 * The validated configuration of one gateway: every key of {@link Specs} with its value. Made only
 * by {@link ConfigLoader}; immutable.
 */
public final class TallyOptions {
  private final Map<String, Object> values;
  private final int eventLoops;

  TallyOptions(Map<String, Object> values) {
    this.values = Map.copyOf(values);
    Object loops = values.get(EVENT_LOOPS);
    this.eventLoops = loops != null ? (Integer) loops : Runtime.getRuntime().availableProcessors();
  }

  public int httpPort() {
    return (Integer) values.get(HTTP_PORT);
  }

  public int statsdPort() {
    return (Integer) values.get(STATSD_PORT);
  }

  public int otlpGrpcPort() {
    return (Integer) values.get(OTLP_GRPC_PORT);
  }

  public int otlpHttpPort() {
    return (Integer) values.get(OTLP_HTTP_PORT);
  }

  public String bind() {
    return (String) values.get(BIND);
  }

  public long tickMillis() {
    return (Long) values.get(TICK);
  }

  public int eventLoops() {
    return eventLoops;
  }

  /** Shards: as configured, else one per event loop. */
  public int shards() {
    Object v = values.get(SHARDS);
    return v != null ? (Integer) v : eventLoops;
  }

  /**
   * StatsD sockets: as configured, else one per event loop (the caller falls back to 1 without
   * SO_REUSEPORT).
   */
  public int statsdSockets() {
    Object v = values.get(STATSD_SOCKETS);
    return v != null ? (Integer) v : eventLoops;
  }

  /** True if {@code statsd-sockets} was set explicitly. */
  public boolean statsdSocketsSet() {
    return values.get(STATSD_SOCKETS) != null;
  }

  public int statsdReceiveBuffer() {
    return (Integer) values.get(STATSD_RECEIVE_BUFFER);
  }

  public int statsdMaxPacketSize() {
    return (Integer) values.get(STATSD_MAX_PACKET_SIZE);
  }

  public int maxSeries() {
    return (Integer) values.get(MAX_SERIES);
  }

  public int shardQueue() {
    return (Integer) values.get(SHARD_QUEUE);
  }

  /** The largest OTLP request body in bytes, compressed or inflated. */
  public int maxRequestSize() {
    return (Integer) values.get(MAX_REQUEST_SIZE);
  }

  /** The OTLP resource attributes that become labels of every series; empty by default. */
  @SuppressWarnings("unchecked")
  public java.util.Set<String> otlpResourceLabels() {
    Object v = values.get(OTLP_RESOURCE_LABELS);
    return v == null ? java.util.Set.of() : java.util.Set.copyOf((java.util.List<String>) v);
  }

  /** The live feed's options. */
  public LiveOptions liveOptions() {
    return new LiveOptions()
        .setTickMillis(tickMillis())
        .setMaxClients((Integer) values.get(LIVE_MAX_CLIENTS))
        .setHistorySeries((Integer) values.get(LIVE_HISTORY_SERIES));
  }

  /** The StatsD parser's options. */
  public StatsdParserOptions parserOptions() {
    return new StatsdParserOptions().setMaxLineLength((Integer) values.get(STATSD_MAX_LINE_LENGTH));
  }

  /** The aggregation shards' options. */
  public AggregatorOptions aggregatorOptions() {
    return new AggregatorOptions()
        .setTickMillis(tickMillis())
        .setWindowMillis((Long) values.get(WINDOW))
        .setSeriesTtlMillis((Long) values.get(SERIES_TTL))
        .setHistogramDigits((Integer) values.get(HISTOGRAM_DIGITS));
  }
}
