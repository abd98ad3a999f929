package dev.tally.gateway.config;

import static dev.tally.gateway.config.Specs.*;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.HistogramLayout;
import dev.tally.verticles.alert.PromRuleFiles;
import dev.tally.verticles.alert.Rule;
import dev.tally.verticles.export.ExportOptions;
import dev.tally.verticles.history.HistoryOptions;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.query.QueryLimits;
import dev.tally.verticles.snapshot.ObserverType;
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
  private final List<PromRuleFiles.RuleGroup> ruleGroups;
  private final Mappings statsdMappings;
  private final List<Rule> apiRules;
  private final int httpPort;
  private final int statsdPort;
  private final int otlpGrpcPort;
  private final int otlpHttpPort;
  private final String bind;
  private final long tickMillis;
  private final long statsdWarmUpMillis;
  private final int statsdReceiveBuffer;
  private final int statsdMaxPacketSize;
  private final int maxSeries;
  private final int shardQueue;
  private final int maxRequestSize;
  private final long sessionTtlMillis;
  private final int authFailuresPerMinute;
  private final long shutdownGraceMillis;
  private final long requestTimeoutMillis;
  private final long idleTimeoutMillis;
  private final int maxSeriesPerMetric;
  private final int memoryLimitPercent;
  private final String tlsCert;
  private final String tlsKey;
  private final String tlsClientCa;
  private final boolean authMetrics;
  private final String authTokenFile;
  private final String configFile;
  private final String rulesFile;
  private final String alertAuditFile;
  private final String alertWebhook;
  private final String alertmanager;
  private final String externalUrl;
  private final String tracingEndpoint;
  private final double tracingSampleRatio;
  private final boolean cluster;
  private final String clusterHost;
  private final int clusterPort;
  private final int logsMaxRecords;
  private final long logsMaxBytes;
  private final ExportOptions exportOptions;
  private final HistoryOptions historyOptions;
  private final QueryLimits queryLimits;

  TallyOptions(
      Map<String, Object> values,
      List<String> fileTokens,
      List<Rule> rules,
      List<Rule> apiRules,
      List<PromRuleFiles.RuleGroup> ruleGroups,
      Mappings statsdMappings) {
    this.statsdMappings = statsdMappings;
    this.ruleGroups = List.copyOf(ruleGroups);
    this.apiRules = List.copyOf(apiRules);
    this.rules = List.copyOf(rules);
    this.values = Map.copyOf(values);
    Set<String> all = new LinkedHashSet<>(fileTokens);
    List<?> configured = read(values, AUTH_TOKENS, List.class);
    if (configured != null) {
      all.addAll(strings(configured));
    }
    this.tokens = Set.copyOf(all);
    List<?> allow = read(values, STATSD_ALLOW, List.class);
    this.statsdAllow =
        allow == null ? List.of() : strings(allow).stream().map(Network::parse).toList();
    Integer loops = read(values, EVENT_LOOPS, Integer.class);
    this.eventLoops = loops != null ? loops : Runtime.getRuntime().availableProcessors();
    this.httpPort = read(values, HTTP_PORT, Integer.class);
    this.statsdPort = read(values, STATSD_PORT, Integer.class);
    this.otlpGrpcPort = read(values, OTLP_GRPC_PORT, Integer.class);
    this.otlpHttpPort = read(values, OTLP_HTTP_PORT, Integer.class);
    this.bind = read(values, BIND, String.class);
    this.tickMillis = read(values, TICK, Long.class);
    this.statsdWarmUpMillis = read(values, STATSD_WARM_UP, Long.class);
    this.statsdReceiveBuffer = read(values, STATSD_RECEIVE_BUFFER, Integer.class);
    this.statsdMaxPacketSize = read(values, STATSD_MAX_PACKET_SIZE, Integer.class);
    this.maxSeries = read(values, MAX_SERIES, Integer.class);
    this.shardQueue = read(values, SHARD_QUEUE, Integer.class);
    this.maxRequestSize = read(values, MAX_REQUEST_SIZE, Integer.class);
    this.sessionTtlMillis = read(values, SESSION_TTL, Long.class);
    this.authFailuresPerMinute = read(values, AUTH_FAILURES_PER_MINUTE, Integer.class);
    this.shutdownGraceMillis = read(values, SHUTDOWN_GRACE, Long.class);
    this.requestTimeoutMillis = read(values, REQUEST_TIMEOUT, Long.class);
    this.idleTimeoutMillis = read(values, IDLE_TIMEOUT, Long.class);
    this.maxSeriesPerMetric = read(values, MAX_SERIES_PER_METRIC, Integer.class);
    this.memoryLimitPercent = read(values, MEMORY_LIMIT_PERCENT, Integer.class);
    this.tlsCert = read(values, TLS_CERT, String.class);
    this.tlsKey = read(values, TLS_KEY, String.class);
    this.tlsClientCa = read(values, TLS_CLIENT_CA, String.class);
    this.authMetrics = read(values, AUTH_METRICS, Boolean.class);
    this.authTokenFile = read(values, AUTH_TOKEN_FILE, String.class);
    this.configFile = read(values, CONFIG, String.class);
    this.rulesFile = read(values, RULES, String.class);
    this.alertAuditFile = read(values, ALERT_AUDIT_FILE, String.class);
    this.alertWebhook = read(values, ALERT_WEBHOOK, String.class);
    this.alertmanager = read(values, ALERTMANAGER, String.class);
    this.externalUrl = read(values, EXTERNAL_URL, String.class);
    this.tracingEndpoint = read(values, TRACING_ENDPOINT, String.class);
    this.tracingSampleRatio = read(values, TRACING_SAMPLE_RATIO, Double.class);
    this.cluster = read(values, CLUSTER, Boolean.class);
    this.clusterHost = read(values, CLUSTER_HOST, String.class);
    this.clusterPort = read(values, CLUSTER_PORT, Integer.class);
    this.logsMaxRecords = read(values, LOGS_MAX_RECORDS, Integer.class);
    this.logsMaxBytes = read(values, LOGS_MAX_BYTES, Integer.class);
    // the targets were checked when loaded (ConfigLoader names every problem): read once here
    this.exportOptions =
        new ExportOptions(
            read(values, EXPORT_INTERVAL, Long.class),
            java.nio.file.Path.of(read(values, DATA_DIR, String.class)),
            ExportTargets.read(values, new java.util.ArrayList<>()),
            read(values, EXPORT_DEGRADED_AFTER, Long.class));
    this.historyOptions =
        read(values, HISTORY, Boolean.class)
            ? new HistoryOptions(
                exportOptions.dataDir().resolve("history"),
                read(values, HISTORY_RESOLUTION, Long.class),
                read(values, HISTORY_RETENTION, Long.class),
                read(values, HISTORY_MAX_BYTES, Long.class),
                HistoryOptions.BLOCK_MILLIS)
            : null;
    this.queryLimits =
        new QueryLimits(
            QUERY_MAX_SAMPLES,
            QUERY_MAX_POINTS,
            read(values, QUERY_TIMEOUT, Long.class),
            QueryLimits.LOOKBACK_MILLIS);
  }

  /** Samples one query may read from the history. */
  static final long QUERY_MAX_SAMPLES = 2_000_000_000L;

  /** Step values one query may hold, Prometheus' default {@code query.max-samples}. */
  static final long QUERY_MAX_POINTS = 50_000_000L;

  /** Where and how the history is kept; null with {@code --history false}. */
  public HistoryOptions historyOptions() {
    return historyOptions;
  }

  /** How far PromQL queries may go. */
  public QueryLimits queryLimits() {
    return queryLimits;
  }

  /**
   * The value of {@code key} as {@code type}, null if it has none; refuses a type that is not the
   * one the key's {@link ValueType} parses to, so a mistyped accessor fails at start, on every key.
   */
  private static <T> T read(Map<String, Object> values, String key, Class<T> type) {
    Class<?> declared = Specs.BY_NAME.get(key).type.javaType;
    if (declared != type) {
      throw new IllegalStateException(
          key + " holds " + declared.getSimpleName() + ", read as " + type.getSimpleName());
    }
    return type.cast(values.get(key));
  }

  public int httpPort() {
    return httpPort;
  }

  public int statsdPort() {
    return statsdPort;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  public String bind() {
    return bind;
  }

  public long tickMillis() {
    return tickMillis;
  }

  public int eventLoops() {
    return eventLoops;
  }

  /** Shards: as configured, else one per event loop. */
  public int shards() {
    Integer v = read(values, SHARDS, Integer.class);
    return v != null ? v : eventLoops;
  }

  /**
   * StatsD sockets: as configured, else one per event loop (the caller falls back to 1 without
   * SO_REUSEPORT).
   */
  public int statsdSockets() {
    Integer v = read(values, STATSD_SOCKETS, Integer.class);
    return v != null ? v : eventLoops;
  }

  /**
   * The longest the StatsD warm-up may run before the port opens (it ends sooner once the JIT
   * compilers are idle); 0 for none.
   */
  public long statsdWarmUpMillis() {
    return statsdWarmUpMillis;
  }

  /** True if {@code statsd-sockets} was set explicitly. */
  public boolean statsdSocketsSet() {
    return read(values, STATSD_SOCKETS, Integer.class) != null;
  }

  public int statsdReceiveBuffer() {
    return statsdReceiveBuffer;
  }

  public int statsdMaxPacketSize() {
    return statsdMaxPacketSize;
  }

  public int maxSeries() {
    return maxSeries;
  }

  public int shardQueue() {
    return shardQueue;
  }

  /** The largest OTLP request body in bytes, compressed or inflated. */
  public int maxRequestSize() {
    return maxRequestSize;
  }

  /** Request body bytes all OTLP requests may hold: as configured, else an eighth of the heap. */
  public long maxInflightBytes() {
    Integer v = read(values, MAX_INFLIGHT_BYTES, Integer.class);
    return v != null ? v : Math.max(2L * maxRequestSize(), Runtime.getRuntime().maxMemory() / 8);
  }

  /** How long a dashboard login session lasts. */
  public long sessionTtlMillis() {
    return sessionTtlMillis;
  }

  /** Wrong credentials one address may present in a minute. */
  public int authFailuresPerMinute() {
    return authFailuresPerMinute;
  }

  /** How long a stopping gateway waits for a scrape of its last tick. */
  public long shutdownGraceMillis() {
    return shutdownGraceMillis;
  }

  public long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }

  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** Connections per listener: as configured, else a quarter of the open-file limit. */
  public int maxConnections() {
    Integer v = read(values, MAX_CONNECTIONS, Integer.class);
    if (v != null) {
      return v;
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
    List<?> v = read(values, OTLP_RESOURCE_LABELS, List.class);
    return v == null ? Set.of() : Set.copyOf(strings(v));
  }

  /** Series limit of one metric name. */
  public int maxSeriesPerMetric() {
    return maxSeriesPerMetric;
  }

  /**
   * Estimated heap of the OTLP points that may wait for the shards: as configured, else an eighth
   * of the maximum heap (at least 1 MiB), so that a full queue leaves room under the memory limit.
   */
  public long shardQueueBytes() {
    Integer v = read(values, SHARD_QUEUE_BYTES, Integer.class);
    return v != null ? v : Math.max(1L << 20, Runtime.getRuntime().maxMemory() / 8);
  }

  /** Heap after GC, in percent of the maximum heap, above which ingest is refused. */
  public int memoryLimitPercent() {
    return memoryLimitPercent;
  }

  /** The TLS certificate chain's PEM file; null for plain text. */
  public String tlsCert() {
    return tlsCert;
  }

  /** The TLS private key's PEM file; null for plain text. */
  public String tlsKey() {
    return tlsKey;
  }

  /** The PEM file of the CAs that sign client certificates; null: no client certificates. */
  public String tlsClientCa() {
    return tlsClientCa;
  }

  /** Every accepted bearer token (configured and from the token file); empty: no authentication. */
  public Set<String> authTokens() {
    return tokens;
  }

  /** True if /metrics and /health also need a token (when there are tokens). */
  public boolean authMetrics() {
    return authMetrics;
  }

  /** The token file, watched for changes; null if none. */
  public String authTokenFile() {
    return authTokenFile;
  }

  /** The configuration file, watched for changes; null if none. */
  public String configFile() {
    return configFile;
  }

  /** The networks StatsD accepts datagrams from; empty: all. */
  public List<Network> statsdAllow() {
    return statsdAllow;
  }

  /** The StatsD mapping file's rules; null without {@code statsd-mapping-config}. */
  public Mappings statsdMappings() {
    return statsdMappings;
  }

  /** The StatsD TCP port; null when StatsD over TCP is off. */
  public Integer statsdTcpPort() {
    return read(values, STATSD_TCP_PORT, Integer.class);
  }

  /** The StatsD Unix datagram socket's path; null for none. */
  public String statsdUnixSocket() {
    return read(values, STATSD_UNIX_SOCKET, String.class);
  }

  /** The StatsD mapping file; null for none. */
  public String statsdMappingConfig() {
    return read(values, STATSD_MAPPING_CONFIG, String.class);
  }

  /** The groups of the Prometheus rule files ({@code rule-files}), in order; empty if none. */
  public List<PromRuleFiles.RuleGroup> ruleGroups() {
    return ruleGroups;
  }

  /**
   * The rule files ({@code rule-files}), globs expanded now (a file that comes to match is watched
   * from the next look); empty if none.
   */
  @SuppressWarnings("unchecked")
  public List<String> ruleFiles() {
    List<String> entries = read(values, RULE_FILES, List.class);
    List<String> files = new java.util.ArrayList<>();
    for (String e : entries == null ? List.<String>of() : entries) {
      try {
        files.addAll(ConfigLoader.expand(e));
      } catch (IllegalArgumentException ex) {
        // refused when loaded: not here
      }
    }
    return files;
  }

  /** The alert rules of the rules file and the alerting rules of the rule files; empty if none. */
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
    return apiRulesFile(values);
  }

  /** {@link #apiRulesFile()} of values that may not be valid yet (the loader reads it early). */
  static String apiRulesFile(Map<String, Object> values) {
    String file = read(values, API_RULES, String.class);
    String rules = read(values, RULES, String.class);
    if (file != null || rules == null) {
      return file;
    }
    return java.nio.file.Path.of(rules).resolveSibling("api-rules.json").toString();
  }

  /** The rules file, watched for changes; null if none. */
  public String rulesFile() {
    return rulesFile;
  }

  /** The file of the alerts' audit log; null: kept in memory only. */
  public String alertAuditFile() {
    return alertAuditFile;
  }

  /** The URL of the alert webhook; null if none. */
  public String alertWebhook() {
    return alertWebhook;
  }

  /** Alertmanager's base URL; null if none. */
  public String alertmanager() {
    return alertmanager;
  }

  /** The URL at which people reach the gateway, for links in notifications; null if not set. */
  public String externalUrl() {
    return externalUrl;
  }

  /** The OTLP/HTTP endpoint of Tally's own traces; null: tracing off. */
  public String tracingEndpoint() {
    return tracingEndpoint;
  }

  public double tracingSampleRatio() {
    return tracingSampleRatio;
  }

  /** The trace store's bounds and sampling. */
  /** What is exported, where to, and where the queues are kept. */
  public ExportOptions exportOptions() {
    return exportOptions;
  }

  public TraceStoreOptions traceStoreOptions() {
    return new TraceStoreOptions()
        .setMaxSpans(read(values, TRACES_MAX_SPANS, Integer.class))
        .setMaxBytes(read(values, TRACES_MAX_BYTES, Integer.class))
        .setSampleRatio(read(values, TRACES_SAMPLE_RATIO, Double.class))
        .setSlowNanos(read(values, TRACES_SLOW, Long.class) * 1_000_000L)
        .setDecisionWaitMillis(read(values, TRACES_DECISION_WAIT, Long.class));
  }

  /** True if the gateway joins a cluster. */
  public boolean cluster() {
    return cluster;
  }

  /** This node's cluster address. */
  public String clusterHost() {
    return clusterHost;
  }

  /** This node's Hazelcast port. */
  public int clusterPort() {
    return clusterPort;
  }

  /** The cluster's members as host:port; empty if none are given. */
  public List<String> clusterMembers() {
    List<?> v = read(values, CLUSTER_MEMBERS, List.class);
    return v == null ? List.of() : strings(v);
  }

  /** Log records the log store holds. */
  public int logsMaxRecords() {
    return logsMaxRecords;
  }

  /** Estimated heap of the log records the log store holds. */
  public long logsMaxBytes() {
    return logsMaxBytes;
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
          RULES,
          RULE_FILES,
          STATSD_MAPPING_CONFIG);

  /** A list key's items, each a String as its {@link ValueType} parses them. */
  private static List<String> strings(List<?> list) {
    return list.stream().map(String.class::cast).toList();
  }

  /** The live feed's options. */
  public LiveOptions liveOptions() {
    return new LiveOptions()
        .setTickMillis(tickMillis())
        .setMaxClients(read(values, LIVE_MAX_CLIENTS, Integer.class))
        .setHistorySeries(read(values, LIVE_HISTORY_SERIES, Integer.class))
        .setMaxSeries(read(values, LIVE_MAX_SERIES, Integer.class))
        .setClientMaxBytes(read(values, LIVE_CLIENT_MAX_BYTES, Integer.class))
        .setMaxBytes(
            read(values, LIVE_MAX_BYTES, Integer.class) != null
                ? read(values, LIVE_MAX_BYTES, Integer.class)
                : LiveOptions.DEFAULT_MAX_BYTES)
        .setSlowCloseMillis(read(values, LIVE_SLOW_CLOSE, Long.class))
        .setMaxSubscribes(read(values, LIVE_MAX_SUBSCRIBES, Integer.class));
  }

  /** The StatsD parser's options. */
  public StatsdParserOptions parserOptions() {
    return new StatsdParserOptions()
        .setMaxLineLength(read(values, STATSD_MAX_LINE_LENGTH, Integer.class))
        .setLabelLimits(labelLimits());
  }

  /** Bounds on one series' labels, for StatsD and OTLP alike. */
  public LabelLimits labelLimits() {
    return new LabelLimits(
        read(values, MAX_LABELS, Integer.class),
        read(values, MAX_LABEL_VALUE_LENGTH, Integer.class),
        read(values, MAX_SERIES_KEY_LENGTH, Integer.class));
  }

  /** The aggregation shards' options. */
  public AggregatorOptions aggregatorOptions() {
    return new AggregatorOptions()
        .setTickMillis(tickMillis())
        .setWindowMillis(read(values, WINDOW, Long.class))
        .setSeriesTtlMillis(read(values, SERIES_TTL, Long.class))
        .setHistogramDigits(read(values, HISTOGRAM_DIGITS, Integer.class))
        .setStatsdLayout(statsdLayout());
  }

  /** How StatsD timers and distributions are exposed. */
  private HistogramLayout statsdLayout() {
    List<?> words = read(values, STATSD_HISTOGRAM_BUCKETS, List.class);
    double[] bounds = new double[words.size()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Double.parseDouble((String) words.get(i));
    }
    return new HistogramLayout(
        ObserverType.ofWord(read(values, STATSD_OBSERVER_TYPE, String.class)),
        bounds,
        read(values, STATSD_NATIVE_HISTOGRAMS, Boolean.class));
  }
}
