package dev.tally.gateway.config;

import static dev.tally.gateway.config.Specs.*;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.alert.Rule;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.trace.TraceStoreOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validated configuration of one gateway: every key of {@link Specs} with its value. Made only
 * by {@link ConfigLoader}; immutable.
 */
public final class TallyOptions {
  private final Map<String, Object> values;
  private final int eventLoops;
  private final Set<String> tokens;
  private final List<Network> statsdAllow;
  private final List<Rule> rules;
  private final List<Rule> apiRules;

  TallyOptions(Map<String, Object> values, List<String> fileTokens, List<Rule> rules) {
    this(values, fileTokens, rules, List.of());
  }

  TallyOptions(
      Map<String, Object> values, List<String> fileTokens, List<Rule> rules, List<Rule> apiRules) {
    this.apiRules = List.copyOf(apiRules);
    this.rules = List.copyOf(rules);
    this.values = Map.copyOf(values);
    Set<String> all = new LinkedHashSet<>(fileTokens);
    Object configured = values.get(AUTH_TOKENS);
    if (configured != null) {
      all.addAll(strings(configured));
    }
    this.tokens = Set.copyOf(all);
    Object allow = values.get(STATSD_ALLOW);
    this.statsdAllow =
        allow == null ? List.of() : strings(allow).stream().map(Network::parse).toList();
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

  /**
   * The longest the StatsD warm-up may run before the port opens (it ends sooner once the JIT
   * compilers are idle); 0 for none.
   */
  public long statsdWarmUpMillis() {
    return (Long) values.get(STATSD_WARM_UP);
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

  /** Request body bytes all OTLP requests may hold: as configured, else an eighth of the heap. */
  public long maxInflightBytes() {
    Object v = values.get(MAX_INFLIGHT_BYTES);
    return v != null
        ? (Integer) v
        : Math.max(2L * maxRequestSize(), Runtime.getRuntime().maxMemory() / 8);
  }

  /** How long a dashboard login session lasts. */
  public long sessionTtlMillis() {
    return (Long) values.get(SESSION_TTL);
  }

  /** Wrong credentials one address may present in a minute. */
  public int authFailuresPerMinute() {
    return (Integer) values.get(AUTH_FAILURES_PER_MINUTE);
  }

  /** How long a stopping gateway waits for a scrape of its last tick. */
  public long shutdownGraceMillis() {
    return (Long) values.get(SHUTDOWN_GRACE);
  }

  public long requestTimeoutMillis() {
    return (Long) values.get(REQUEST_TIMEOUT);
  }

  public long idleTimeoutMillis() {
    return (Long) values.get(IDLE_TIMEOUT);
  }

  /** Connections per listener: as configured, else a quarter of the open-file limit. */
  public int maxConnections() {
    Object v = values.get(MAX_CONNECTIONS);
    if (v != null) {
      return (Integer) v;
    }
    long files = 4096;
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      files = unix.getMaxFileDescriptorCount();
    }
    return (int) Math.max(64, Math.min(Integer.MAX_VALUE, files / 4));
  }

  /** The OTLP resource attributes that become labels of every series; empty by default. */
  public Set<String> otlpResourceLabels() {
    Object v = values.get(OTLP_RESOURCE_LABELS);
    return v == null ? Set.of() : Set.copyOf(strings(v));
  }

  /** Series limit of one metric name. */
  public int maxSeriesPerMetric() {
    return (Integer) values.get(MAX_SERIES_PER_METRIC);
  }

  /**
   * Estimated heap of the OTLP points that may wait for the shards: as configured, else an eighth
   * of the maximum heap (at least 1 MiB), so that a full queue leaves room under the memory limit.
   */
  public long shardQueueBytes() {
    Object v = values.get(SHARD_QUEUE_BYTES);
    return v != null ? (Integer) v : Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 8);
  }

  /** Heap after GC, in percent of the maximum heap, above which ingest is refused. */
  public int memoryLimitPercent() {
    return (Integer) values.get(MEMORY_LIMIT_PERCENT);
  }

  /** The TLS certificate chain's PEM file; null for plain text. */
  public String tlsCert() {
    return (String) values.get(TLS_CERT);
  }

  /** The TLS private key's PEM file; null for plain text. */
  public String tlsKey() {
    return (String) values.get(TLS_KEY);
  }

  /** The PEM file of the CAs that sign client certificates; null: no client certificates. */
  public String tlsClientCa() {
    return (String) values.get(TLS_CLIENT_CA);
  }

  /** Every accepted bearer token (configured and from the token file); empty: no authentication. */
  public Set<String> authTokens() {
    return tokens;
  }

  /** True if /metrics and /health also need a token (when there are tokens). */
  public boolean authMetrics() {
    return (Boolean) values.get(AUTH_METRICS);
  }

  /** The token file, watched for changes; null if none. */
  public String authTokenFile() {
    return (String) values.get(AUTH_TOKEN_FILE);
  }

  /** The configuration file, watched for changes; null if none. */
  public String configFile() {
    return (String) values.get(CONFIG);
  }

  /** The networks StatsD accepts datagrams from; empty: all. */
  public List<Network> statsdAllow() {
    return statsdAllow;
  }

  /** The alert rules of the rules file; empty if none. */
  public List<Rule> rules() {
    return rules;
  }

  /** The rules made through the API before this start (read from {@link #apiRulesFile()}). */
  public List<Rule> apiRules() {
    return apiRules;
  }

  /**
   * Where the rules made through the API are kept: {@code api-rules}, else {@code api-rules.json}
   * beside the rules file; null (memory only) without either. Never the rules file: that one is the
   * user's, and Tally does not write it.
   */
  public String apiRulesFile() {
    String file = (String) values.get(API_RULES);
    if (file != null || rulesFile() == null) {
      return file;
    }
    return java.nio.file.Path.of(rulesFile()).resolveSibling("api-rules.json").toString();
  }

  /** The rules file, watched for changes; null if none. */
  public String rulesFile() {
    return (String) values.get(RULES);
  }

  /** The file of the alerts' audit log; null: kept in memory only. */
  public String alertAuditFile() {
    return (String) values.get(ALERT_AUDIT_FILE);
  }

  /** The URL of the alert webhook; null if none. */
  public String alertWebhook() {
    return (String) values.get(ALERT_WEBHOOK);
  }

  /** Alertmanager's base URL; null if none. */
  public String alertmanager() {
    return (String) values.get(ALERTMANAGER);
  }

  /** The URL at which people reach the gateway, for links in notifications; null if not set. */
  public String externalUrl() {
    return (String) values.get(EXTERNAL_URL);
  }

  /** The OTLP/HTTP endpoint of Tally's own traces; null: tracing off. */
  public String tracingEndpoint() {
    return (String) values.get(TRACING_ENDPOINT);
  }

  public double tracingSampleRatio() {
    return (Double) values.get(TRACING_SAMPLE_RATIO);
  }

  /** The trace store's bounds and sampling. */
  public TraceStoreOptions traceStoreOptions() {
    return new TraceStoreOptions()
        .setMaxSpans((Integer) values.get(TRACES_MAX_SPANS))
        .setMaxBytes((Integer) values.get(TRACES_MAX_BYTES))
        .setSampleRatio((Double) values.get(TRACES_SAMPLE_RATIO))
        .setSlowNanos((Long) values.get(TRACES_SLOW) * 1_000_000L)
        .setDecisionWaitMillis((Long) values.get(TRACES_DECISION_WAIT));
  }

  /** True if the gateway joins a cluster. */
  public boolean cluster() {
    return (Boolean) values.get(CLUSTER);
  }

  /** This node's cluster address. */
  public String clusterHost() {
    return (String) values.get(CLUSTER_HOST);
  }

  /** This node's Hazelcast port. */
  public int clusterPort() {
    return (Integer) values.get(CLUSTER_PORT);
  }

  /** The cluster's members as host:port; empty if none are given. */
  public List<String> clusterMembers() {
    Object v = values.get(CLUSTER_MEMBERS);
    return v == null ? List.of() : strings(v);
  }

  /** Log records the log store holds. */
  public int logsMaxRecords() {
    return (Integer) values.get(LOGS_MAX_RECORDS);
  }

  /** Estimated heap of the log records the log store holds. */
  public long logsMaxBytes() {
    return (Integer) values.get(LOGS_MAX_BYTES);
  }

  /**
   * The keys whose value differs in {@code other} and which take effect only at start-up (ports,
   * threads, queues, ...): everything but tokens, limits, TLS files and the StatsD allow-list.
   */
  public List<String> restartOnlyChanges(TallyOptions other) {
    List<String> changed = new java.util.ArrayList<>();
    for (String key : Specs.BY_NAME.keySet()) {
      if (!RELOADABLE.contains(key) && !Objects.equals(values.get(key), other.values.get(key))) {
        changed.add(key);
      }
    }
    if ((tlsCert() == null) != (other.tlsCert() == null)) {
      changed.add(TLS_CERT); // new certificates reload; turning TLS on or off needs new servers
    }
    return changed;
  }

  /** The keys a reload applies. */
  static final Set<String> RELOADABLE =
      Set.of(
          CONFIG,
          MAX_SERIES,
          MAX_SERIES_PER_METRIC,
          MEMORY_LIMIT_PERCENT,
          TLS_CERT,
          TLS_KEY,
          TLS_CLIENT_CA,
          AUTH_TOKENS,
          AUTH_TOKEN_FILE,
          AUTH_METRICS,
          STATSD_ALLOW,
          RULES);

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    return (List<String>) list;
  }

  /** The live feed's options. */
  public LiveOptions liveOptions() {
    return new LiveOptions()
        .setTickMillis(tickMillis())
        .setMaxClients((Integer) values.get(LIVE_MAX_CLIENTS))
        .setHistorySeries((Integer) values.get(LIVE_HISTORY_SERIES))
        .setClientMaxBytes((Integer) values.get(LIVE_CLIENT_MAX_BYTES))
        .setMaxBytes(
            values.get(LIVE_MAX_BYTES) != null
                ? (Integer) values.get(LIVE_MAX_BYTES)
                : LiveOptions.DEFAULT_MAX_BYTES)
        .setSlowCloseMillis((Long) values.get(LIVE_SLOW_CLOSE))
        .setMaxSubscribes((Integer) values.get(LIVE_MAX_SUBSCRIBES));
  }

  /** The StatsD parser's options. */
  public StatsdParserOptions parserOptions() {
    return new StatsdParserOptions()
        .setMaxLineLength((Integer) values.get(STATSD_MAX_LINE_LENGTH))
        .setLabelLimits(labelLimits());
  }

  /** Bounds on one series' labels, for StatsD and OTLP alike. */
  public LabelLimits labelLimits() {
    return new LabelLimits(
        (Integer) values.get(MAX_LABELS),
        (Integer) values.get(MAX_LABEL_VALUE_LENGTH),
        (Integer) values.get(MAX_SERIES_KEY_LENGTH));
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
