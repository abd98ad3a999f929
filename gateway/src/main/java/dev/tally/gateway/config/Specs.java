package dev.tally.gateway.config;

import static dev.tally.gateway.config.ValueType.duration;
import static dev.tally.gateway.config.ValueType.size;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.HistogramLayout;
import dev.tally.verticles.export.ExportOptions;
import dev.tally.verticles.export.ExportTarget;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.trace.TraceStoreOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of CONTRACT §1 and the StatsD/aggregation limits, in help order. A
 * default that a component's options class holds is read from its constant, written in this syntax:
 * each default is written once.
 */
final class Specs {
  static final String CONFIG = "config";
  static final String HTTP_PORT = "http-port";
  static final String STATSD_PORT = "statsd-port";
  static final String OTLP_GRPC_PORT = "otlp-grpc-port";
  static final String OTLP_HTTP_PORT = "otlp-http-port";
  static final String BIND = "bind";
  static final String TICK = "tick";
  static final String SHARDS = "shards";
  static final String EVENT_LOOPS = "event-loops";
  static final String STATSD_SOCKETS = "statsd-sockets";
  static final String STATSD_TCP_PORT = "statsd-tcp-port";
  static final String STATSD_UNIX_SOCKET = "statsd-unix-socket";
  static final String STATSD_WARM_UP = "statsd-warm-up";
  static final String STATSD_RECEIVE_BUFFER = "statsd-receive-buffer";
  static final String STATSD_MAX_PACKET_SIZE = "statsd-max-packet-size";
  static final String STATSD_MAX_LINE_LENGTH = "statsd-max-line-length";
  static final String WINDOW = "window";
  static final String SERIES_TTL = "series-ttl";
  static final String MAX_SERIES = "max-series";
  static final String HISTOGRAM_DIGITS = "histogram-digits";
  static final String STATSD_OBSERVER_TYPE = "statsd-observer-type";
  static final String STATSD_HISTOGRAM_BUCKETS = "statsd-histogram-buckets";
  static final String STATSD_MAPPING_CONFIG = "statsd-mapping-config";
  static final String STATSD_NATIVE_HISTOGRAMS = "statsd-native-histograms";
  static final String SHARD_QUEUE = "shard-queue";
  static final String MAX_REQUEST_SIZE = "max-request-size";
  static final String OTLP_RESOURCE_LABELS = "otlp-resource-labels";
  static final String MAX_INFLIGHT_BYTES = "max-inflight-bytes";
  static final String SHUTDOWN_GRACE = "shutdown-grace";
  static final String MAX_LABELS = "max-labels";
  static final String MAX_LABEL_VALUE_LENGTH = "max-label-value-length";
  static final String MAX_SERIES_KEY_LENGTH = "max-series-key-length";
  static final String REQUEST_TIMEOUT = "request-timeout";
  static final String IDLE_TIMEOUT = "idle-timeout";
  static final String MAX_CONNECTIONS = "max-connections";
  static final String LIVE_MAX_CLIENTS = "live-max-clients";
  static final String LIVE_HISTORY_SERIES = "live-history-series";
  static final String LIVE_MAX_SERIES = "live-max-series";
  static final String LIVE_CLIENT_MAX_BYTES = "live-client-max-bytes";
  static final String LIVE_MAX_BYTES = "live-max-bytes";
  static final String LIVE_SLOW_CLOSE = "live-slow-close";
  static final String LIVE_MAX_SUBSCRIBES = "live-max-subscribes";
  static final String MAX_SERIES_PER_METRIC = "max-series-per-metric";
  static final String MEMORY_LIMIT_PERCENT = "memory-limit-percent";
  static final String SHARD_QUEUE_BYTES = "shard-queue-bytes";
  static final String TLS_CERT = "tls-cert";
  static final String TLS_KEY = "tls-key";
  static final String TLS_CLIENT_CA = "tls-client-ca";
  static final String AUTH_TOKENS = "auth-tokens";
  static final String AUTH_TOKEN_FILE = "auth-token-file";
  static final String AUTH_METRICS = "auth-metrics";
  static final String SESSION_TTL = "session-ttl";
  static final String AUTH_FAILURES_PER_MINUTE = "auth-failures-per-minute";
  static final String STATSD_ALLOW = "statsd-allow";
  static final String TRACING_ENDPOINT = "tracing-endpoint";
  static final String TRACING_SAMPLE_RATIO = "tracing-sample-ratio";
  static final String RULES = "rules";
  static final String RULE_FILES = "rule-files";
  static final String API_RULES = "api-rules";
  static final String ALERT_WEBHOOK = "alert-webhook";
  static final String ALERT_AUDIT_FILE = "alert-audit-file";
  static final String ALERTMANAGER = "alertmanager";
  static final String EXTERNAL_URL = "external-url";
  static final String TRACES_MAX_SPANS = "traces-max-spans";
  static final String TRACES_MAX_BYTES = "traces-max-bytes";
  static final String TRACES_SAMPLE_RATIO = "traces-sample-ratio";
  static final String TRACES_SLOW = "traces-slow";
  static final String TRACES_DECISION_WAIT = "traces-decision-wait";
  static final String LOGS_MAX_RECORDS = "logs-max-records";
  static final String LOGS_MAX_BYTES = "logs-max-bytes";
  static final String CLUSTER = "cluster";
  static final String CLUSTER_HOST = "cluster-host";
  static final String CLUSTER_PORT = "cluster-port";
  static final String CLUSTER_MEMBERS = "cluster-members";
  static final String EXPORT_REMOTE_WRITE = "export-remote-write";
  static final String EXPORT_OTLP = "export-otlp";
  static final String EXPORT_INTERVAL = "export-interval";
  static final String EXPORT_QUEUE_MAX_BYTES = "export-queue-max-bytes";
  static final String EXPORT_DEGRADED_AFTER = "export-degraded-after";
  static final String DATA_DIR = "data-dir";
  static final String HISTORY = "history";
  static final String HISTORY_RESOLUTION = "history-resolution";
  static final String HISTORY_RETENTION = "history-retention";
  static final String HISTORY_MAX_BYTES = "history-max-bytes";
  static final String QUERY_TIMEOUT = "query-timeout";

  static final List<OptionSpec> ALL =
      List.of(
          new OptionSpec(
              CONFIG, ValueType.PATH, null, "YAML or JSON file whose keys are these option names"),
          new OptionSpec(
              HTTP_PORT,
              ValueType.PORT,
              "8080",
              "HTTP port: dashboard, /metrics, /health, JSON API"),
          new OptionSpec(STATSD_PORT, ValueType.PORT, "8125", "UDP port for StatsD and DogStatsD"),
          new OptionSpec(
              STATSD_TCP_PORT,
              ValueType.PORT,
              null,
              "TCP port for StatsD: newline-framed lines, many per connection, parsed as UDP's; max-connections and idle-timeout apply (may be the UDP port's number; default: off)"),
          new OptionSpec(
              STATSD_UNIX_SOCKET,
              ValueType.PATH,
              null,
              "path of a Unix datagram socket for StatsD and DogStatsD (DogStatsD clients' transport in containers; Linux; default: off)"),
          new OptionSpec(
              OTLP_GRPC_PORT,
              ValueType.PORT,
              "4317",
              "OTLP/gRPC port: MetricsService, TraceService and LogsService Export"),
          new OptionSpec(
              OTLP_HTTP_PORT,
              ValueType.PORT,
              "4318",
              "OTLP/HTTP port: POST /v1/metrics, /v1/traces and /v1/logs, protobuf or JSON, gzip"),
          new OptionSpec(BIND, ValueType.HOST, "0.0.0.0", "address every listener binds to"),
          new OptionSpec(
              TICK,
              ValueType.DURATION,
              duration(AggregatorOptions.DEFAULT_TICK_MILLIS),
              "aggregation interval: snapshots, counter rates, set counts",
              10,
              3_600_000),
          new OptionSpec(
              SHARDS,
              ValueType.POSITIVE_INT,
              null,
              "aggregation shards (default: one per event loop)"),
          new OptionSpec(
              EVENT_LOOPS,
              ValueType.POSITIVE_INT,
              null,
              "Vert.x event loops (default: one per core; nothing on them blocks)"),
          new OptionSpec(
              STATSD_SOCKETS,
              ValueType.POSITIVE_INT,
              null,
              "UDP sockets sharing the StatsD port with SO_REUSEPORT (default: one per event loop; 1 without native epoll)"),
          new OptionSpec(
              STATSD_WARM_UP,
              ValueType.DURATION,
              "20s",
              "before the StatsD port opens, synthetic traffic runs through a private copy of the ingest path until the JIT compilers are idle, for at most this long, so that real traffic finds the path compiled; 0: none",
              0,
              60_000),
          new OptionSpec(
              STATSD_RECEIVE_BUFFER,
              ValueType.SIZE,
              "4MiB",
              "SO_RCVBUF of each StatsD socket (the kernel caps it at net.core.rmem_max)",
              1024,
              1L << 30),
          new OptionSpec(
              STATSD_MAX_PACKET_SIZE,
              ValueType.SIZE,
              "8192",
              "longest StatsD datagram; the cut-off end of a longer one is rejected as packet_too_long",
              64,
              65_507),
          new OptionSpec(
              STATSD_MAX_LINE_LENGTH,
              ValueType.SIZE,
              Integer.toString(StatsdParserOptions.DEFAULT_MAX_LINE_LENGTH),
              "longest StatsD line; longer ones are rejected as line_too_long",
              16,
              65_535),
          new OptionSpec(
              WINDOW,
              ValueType.DURATION,
              duration(AggregatorOptions.DEFAULT_WINDOW_MILLIS),
              "sliding window of timer and distribution quantiles",
              1000,
              86_400_000),
          new OptionSpec(
              SERIES_TTL,
              ValueType.DURATION,
              duration(AggregatorOptions.DEFAULT_SERIES_TTL_MILLIS),
              "a series idle this long leaves /metrics",
              1000,
              31_536_000_000L),
          new OptionSpec(
              MAX_SERIES,
              ValueType.POSITIVE_INT,
              "1000000",
              "series limit; beyond it samples go to an otel_metric_overflow=\"true\" series"),
          new OptionSpec(
              HISTOGRAM_DIGITS,
              ValueType.DIGITS,
              Integer.toString(AggregatorOptions.DEFAULT_HISTOGRAM_DIGITS),
              "HdrHistogram significant digits of timers and distributions"),
          new OptionSpec(
              STATSD_OBSERVER_TYPE,
              ValueType.OBSERVER,
              HistogramLayout.SUMMARY.type().word(),
              "how StatsD timers (ms), histograms (h) and distributions (d) are exposed: summary (quantiles over the sliding window), histogram (cumulative buckets, for histogram_quantile and aggregation across instances) or both (the histogram, and the quantiles as a summary family <name>_window)"),
          new OptionSpec(
              STATSD_HISTOGRAM_BUCKETS,
              ValueType.BUCKETS,
              bounds(HistogramLayout.DEFAULT_BUCKETS),
              "upper bounds of the histogram buckets of StatsD timers (in seconds), histograms and distributions, when exposed as histograms; +Inf is always added"),
          new OptionSpec(
              STATSD_MAPPING_CONFIG,
              ValueType.PATH,
              null,
              "statsd_exporter mapping file (YAML: defaults and mappings) that turns StatsD names into Prometheus names and labels, with per-rule observer type, buckets, quantiles, ttl and help; a rule's name is used as written, no suffix added; reloaded when it changes"),
          new OptionSpec(
              STATSD_NATIVE_HISTOGRAMS,
              ValueType.BOOLEAN,
              "false",
              "also keep StatsD timers, histograms and distributions as Prometheus native histograms, shown to scrapers that ask for the protobuf format (Prometheus with --enable-feature=native-histograms)"),
          new OptionSpec(
              SHARD_QUEUE,
              ValueType.POSITIVE_INT,
              "1000",
              "batches that may wait for one shard; OTLP requests get UNAVAILABLE/503 from three quarters of it, and at it the StatsD sockets are not read until the shard catches up (the kernel drops, counted in tally_statsd_kernel_drops_total)"),
          new OptionSpec(
              MAX_REQUEST_SIZE,
              ValueType.SIZE,
              "8MiB",
              "largest OTLP request body, compressed or inflated; beyond it RESOURCE_EXHAUSTED/413",
              1024,
              1L << 30),
          new OptionSpec(
              SHUTDOWN_GRACE,
              ValueType.DURATION,
              "5s",
              "on SIGTERM, how long /metrics keeps serving the last tick for a final scrape (the stop ends sooner once a scrape has shown it); 0: no wait",
              0,
              600_000),
          new OptionSpec(
              MAX_LABELS,
              ValueType.POSITIVE_INT,
              Integer.toString(LabelLimits.DEFAULT_MAX_LABELS),
              "labels (StatsD tags, OTLP attributes) one series may have; a line or point with more is rejected as label_limits, and so are the points of an OTLP resource with more attributes"),
          new OptionSpec(
              MAX_LABEL_VALUE_LENGTH,
              ValueType.POSITIVE_INT,
              Integer.toString(LabelLimits.DEFAULT_MAX_VALUE_LENGTH),
              "characters of one label value; a line or point with a longer one is rejected as label_limits"),
          new OptionSpec(
              MAX_SERIES_KEY_LENGTH,
              ValueType.POSITIVE_INT,
              Integer.toString(LabelLimits.DEFAULT_MAX_KEY_LENGTH),
              "characters of a series' name and labels together; a line or point with a longer key is rejected as label_limits"),
          new OptionSpec(
              MAX_INFLIGHT_BYTES,
              ValueType.SIZE,
              null,
              "request body bytes all OTLP requests together may hold while they are received and processed; a request that would go over gets UNAVAILABLE/503 (default: an eighth of the maximum heap, at least twice max-request-size)",
              1 << 20,
              1L << 30),
          new OptionSpec(
              REQUEST_TIMEOUT,
              ValueType.DURATION,
              "30s",
              "an OTLP request not received and answered within this time is ended (its connection closed, or its HTTP/2 stream reset)",
              100,
              3_600_000),
          new OptionSpec(
              IDLE_TIMEOUT,
              ValueType.DURATION,
              "60s",
              "a connection on any TCP port that neither reads nor gets its writes taken for this long is closed",
              1000,
              86_400_000),
          new OptionSpec(
              MAX_CONNECTIONS,
              ValueType.POSITIVE_INT,
              null,
              "open connections each TCP listener (HTTP, OTLP/gRPC, OTLP/HTTP, StatsD TCP) accepts; one beyond is closed at once and counted (default: a quarter of the process's open-file limit)"),
          new OptionSpec(
              OTLP_RESOURCE_LABELS,
              ValueType.NAMES,
              null,
              "OTLP resource attributes copied onto every series of their resource as labels (they stay in target_info too)"),
          new OptionSpec(
              LIVE_MAX_CLIENTS,
              ValueType.POSITIVE_INT,
              Integer.toString(LiveOptions.DEFAULT_MAX_CLIENTS),
              "live-feed clients (SSE and WebSocket) beyond which new ones get 503"),
          new OptionSpec(
              LIVE_MAX_SERIES,
              ValueType.POSITIVE_INT,
              Integer.toString(LiveOptions.DEFAULT_MAX_SERIES),
              "series one live-feed subscription gets per tick (the first in key order; a snapshot says how many matched)"),
          new OptionSpec(
              LIVE_HISTORY_SERIES,
              ValueType.POSITIVE_INT,
              Integer.toString(LiveOptions.DEFAULT_HISTORY_SERIES),
              "series that keep 300 ticks of history for backfill and /api/series/{key} (at most 24 KB each)"),
          new OptionSpec(
              LIVE_CLIENT_MAX_BYTES,
              ValueType.SIZE,
              size(LiveOptions.DEFAULT_CLIENT_MAX_BYTES),
              "bytes written to one live-feed client that its socket has not taken yet, beyond which it gets no more frames (the newest waits)",
              1024,
              1L << 30),
          new OptionSpec(
              LIVE_MAX_BYTES,
              ValueType.SIZE,
              null,
              "bytes written to all live-feed clients that their sockets have not taken yet, beyond which frames wait (default: a sixteenth of the maximum heap, at least 4 MiB)",
              64 * 1024,
              1L << 30),
          new OptionSpec(
              LIVE_SLOW_CLOSE,
              ValueType.DURATION,
              duration(LiveOptions.DEFAULT_SLOW_CLOSE_MILLIS),
              "a live-feed client whose socket takes nothing this long while it holds unsent bytes is closed",
              1000,
              3_600_000),
          new OptionSpec(
              LIVE_MAX_SUBSCRIBES,
              ValueType.POSITIVE_INT,
              Integer.toString(LiveOptions.DEFAULT_MAX_SUBSCRIBES),
              "subscribe messages one WebSocket client may send in 10 s; the ones beyond get an error and are not applied"),
          new OptionSpec(
              MAX_SERIES_PER_METRIC,
              ValueType.POSITIVE_INT,
              "100000",
              "series limit of one metric name; beyond it samples go to its otel_metric_overflow=\"true\" series"),
          new OptionSpec(
              SHARD_QUEUE_BYTES,
              ValueType.SIZE,
              null,
              "estimated heap of what may wait for the shards and the trace and log stores, all together: OTLP points, spans, log records and, clustered, other nodes' deltas (default: an eighth of the maximum heap); beyond it OTLP requests get UNAVAILABLE/503",
              1 << 20,
              1L << 30),
          new OptionSpec(
              MEMORY_LIMIT_PERCENT,
              ValueType.POSITIVE_INT,
              "85",
              "live heap (estimated from the JVM's collections: the young generation after the latest, the old generation after its own last one), in percent of the maximum heap, above which OTLP requests get UNAVAILABLE/503 and StatsD datagrams are dropped as memory_limit, until it is below again",
              10,
              99),
          new OptionSpec(
              TLS_CERT,
              ValueType.PATH,
              null,
              "PEM certificate chain: TLS on the HTTP and both OTLP ports (with tls-key); reloaded when the file changes"),
          new OptionSpec(TLS_KEY, ValueType.PATH, null, "PEM private key of tls-cert"),
          new OptionSpec(
              TLS_CLIENT_CA,
              ValueType.PATH,
              null,
              "PEM CA certificates: clients must present a certificate they signed (mutual TLS)"),
          OptionSpec.secret(
              AUTH_TOKENS,
              ValueType.TOKENS,
              "bearer tokens accepted on OTLP, the JSON API, the live feeds and the dashboard; none: no authentication"),
          new OptionSpec(
              AUTH_TOKEN_FILE,
              ValueType.PATH,
              null,
              "file of more bearer tokens, one per line (# comments); reloaded when it changes"),
          new OptionSpec(
              AUTH_METRICS,
              ValueType.BOOLEAN,
              "false",
              "also require a token for /metrics and /health (when tokens are set)"),
          new OptionSpec(
              SESSION_TTL,
              ValueType.DURATION,
              "12h",
              "how long a dashboard login lasts (its session cookie holds a random id, never the token)",
              60_000,
              31_536_000_000L),
          new OptionSpec(
              AUTH_FAILURES_PER_MINUTE,
              ValueType.POSITIVE_INT,
              "10",
              "wrong tokens one address may present in a minute (all addresses: ten times as many) before it gets 429 until the minute ends"),
          new OptionSpec(
              STATSD_ALLOW,
              ValueType.NETWORKS,
              null,
              "source networks StatsD accepts datagrams from; others are dropped and counted (default: all)"),
          new OptionSpec(
              RULES,
              ValueType.PATH,
              null,
              "YAML or JSON file of alert rules (a list, or a map with a 'rules' list); reloaded when it changes"),
          new OptionSpec(
              RULE_FILES,
              ValueType.PATHS,
              null,
              "Prometheus rule files, or globs in the file name such as rules/*.yml (groups of PromQL alerting and recording rules, evaluated on the history every group interval); reloaded when they change"),
          new OptionSpec(
              API_RULES,
              ValueType.PATH,
              null,
              "file where the rules made through the API are kept (JSON, written by Tally alone); default api-rules.json beside the rules file, or none (kept in memory) without one"),
          new OptionSpec(
              ALERT_AUDIT_FILE,
              ValueType.PATH,
              null,
              "file that keeps the alerts' audit log (the newest 10000 events, one JSON object per line) across restarts"),
          new OptionSpec(
              ALERT_WEBHOOK,
              ValueType.URL,
              null,
              "URL that gets every alert notification (firing, repeat, resolved) as JSON, with retries"),
          new OptionSpec(
              ALERTMANAGER,
              ValueType.URL,
              null,
              "Prometheus Alertmanager base URL (such as http://127.0.0.1:9093): firing and resolved alerts go to its API v2"),
          new OptionSpec(
              EXTERNAL_URL,
              ValueType.URL,
              null,
              "URL at which people reach this gateway (through a proxy or a DNS name), such as https://tally.example.com; alert notifications link to it; default http(s)://<this host's name>:<http-port>"),
          new OptionSpec(
              TRACING_ENDPOINT,
              ValueType.URL,
              null,
              "OTLP/HTTP endpoint (such as http://127.0.0.1:4318) for traces of Tally's own HTTP and gRPC handling; none: tracing off"),
          new OptionSpec(
              TRACING_SAMPLE_RATIO,
              ValueType.RATIO,
              "1",
              "share of requests traced when tracing is on (parent-based)"),
          new OptionSpec(
              TRACES_MAX_SPANS,
              ValueType.POSITIVE_INT,
              Integer.toString(TraceStoreOptions.DEFAULT_MAX_SPANS),
              "spans the trace store holds; beyond it the oldest traces are evicted and counted"),
          new OptionSpec(
              TRACES_MAX_BYTES,
              ValueType.SIZE,
              size(TraceStoreOptions.DEFAULT_MAX_BYTES),
              "estimated heap of the spans the trace store holds; beyond it the oldest traces are evicted and counted",
              1 << 20,
              Integer.MAX_VALUE),
          new OptionSpec(
              TRACES_SAMPLE_RATIO,
              ValueType.RATIO,
              Double.toString(TraceStoreOptions.DEFAULT_SAMPLE_RATIO),
              "share of the traces that are neither errors nor slow that the trace store keeps (by trace id)"),
          new OptionSpec(
              TRACES_SLOW,
              ValueType.DURATION,
              duration(TraceStoreOptions.DEFAULT_SLOW_MILLIS),
              "traces at least this long are kept whatever the sample ratio",
              0,
              86_400_000),
          new OptionSpec(
              TRACES_DECISION_WAIT,
              ValueType.DURATION,
              duration(TraceStoreOptions.DEFAULT_DECISION_WAIT_MILLIS),
              "how long a trace that is neither an error, slow nor sampled waits for more spans before it is dropped",
              0,
              600_000),
          new OptionSpec(
              LOGS_MAX_RECORDS,
              ValueType.POSITIVE_INT,
              "100000",
              "log records the log store holds; beyond it the oldest are evicted and counted"),
          new OptionSpec(
              LOGS_MAX_BYTES,
              ValueType.SIZE,
              "64MiB",
              "estimated heap of the log records the log store holds; beyond it the oldest are evicted and counted",
              1 << 20,
              Integer.MAX_VALUE),
          new OptionSpec(
              CLUSTER,
              ValueType.BOOLEAN,
              "false",
              "join a cluster of gateways (Hazelcast over TCP, members from cluster-members, no multicast)"),
          new OptionSpec(
              CLUSTER_HOST,
              ValueType.HOST,
              "127.0.0.1",
              "this node's address for the cluster (Hazelcast and the clustered event bus)"),
          new OptionSpec(CLUSTER_PORT, ValueType.PORT, "5701", "this node's Hazelcast port"),
          new OptionSpec(
              CLUSTER_MEMBERS,
              ValueType.MEMBERS,
              null,
              "the cluster's members as host:port (this node may be among them); none: this node alone"),
          new OptionSpec(
              EXPORT_REMOTE_WRITE,
              ValueType.TARGETS,
              null,
              "Prometheus remote write 1.0 endpoint (such as http://127.0.0.1:9090/api/v1/write) that gets every series /metrics shows, each export-interval, through its own queue on disk; repeat for more targets (per-target keys: docs/EXPORT.md)"),
          new OptionSpec(
              EXPORT_OTLP,
              ValueType.TARGETS,
              null,
              "OTLP endpoint that gets every series /metrics shows each export-interval, and the spans of the traces the trace store keeps and the log records it takes: http(s)://host:4318 for OTLP/HTTP, grpc(s)://host:4317 for OTLP/gRPC; through its own queue on disk; repeat for more targets (per-target keys: docs/EXPORT.md)"),
          new OptionSpec(
              EXPORT_INTERVAL,
              ValueType.DURATION,
              duration(ExportOptions.DEFAULT_INTERVAL_MILLIS),
              "how often series are exported (at the first tick of each interval, stamped with the tick); the queues are synced to disk as often",
              1000,
              3_600_000),
          new OptionSpec(
              EXPORT_QUEUE_MAX_BYTES,
              ValueType.SIZE,
              size(ExportTarget.DEFAULT_QUEUE_MAX_BYTES),
              "bytes each export target's queue may hold on disk; beyond it the oldest records are deleted unsent and counted",
              1 << 20,
              Integer.MAX_VALUE),
          new OptionSpec(
              EXPORT_DEGRADED_AFTER,
              ValueType.DURATION,
              duration(ExportOptions.DEFAULT_DEGRADED_AFTER_MILLIS),
              "an export target whose requests have failed this long makes /health DEGRADED (still 200)",
              1000,
              86_400_000),
          new OptionSpec(
              DATA_DIR,
              ValueType.PATH,
              ExportOptions.DEFAULT_DATA_DIR,
              "directory of what Tally keeps on disk: the history and the export queues (made when first needed)"),
          new OptionSpec(
              HISTORY,
              ValueType.BOOLEAN,
              "true",
              "keep every series' history on disk (data-dir/history) and answer the Prometheus query API (/api/v1/query...) from it"),
          new OptionSpec(
              HISTORY_RESOLUTION,
              ValueType.DURATION,
              "10s",
              "time between two samples of a series in the history (the first tick of each window, stamped with the tick); must divide an hour",
              1000,
              3_600_000),
          new OptionSpec(
              HISTORY_RETENTION,
              ValueType.DURATION,
              "15d",
              "how long the history keeps samples; older hourly blocks are deleted and counted",
              3_600_000,
              3650L * 86_400_000),
          new OptionSpec(
              HISTORY_MAX_BYTES,
              ValueType.BYTES,
              "10GiB",
              "bytes the history may take on disk; beyond it the oldest hourly blocks are deleted and counted",
              16L << 20,
              Long.MAX_VALUE),
          new OptionSpec(
              QUERY_TIMEOUT,
              ValueType.DURATION,
              "2m",
              "time a PromQL query may take before it ends with a timeout error (a request's timeout parameter may ask for less)",
              100,
              3_600_000));

  static final Map<String, OptionSpec> BY_NAME = byName();

  private Specs() {}

  private static Map<String, OptionSpec> byName() {
    Map<String, OptionSpec> m = new LinkedHashMap<>();
    for (OptionSpec s : ALL) {
      m.put(s.name, s);
    }
    return m;
  }

  /** Bucket bounds as the option writes them: {@code 0.005,0.01,...,10}. */
  private static String bounds(double[] bounds) {
    StringBuilder sb = new StringBuilder();
    for (double b : bounds) {
      sb.append(sb.length() == 0 ? "" : ",")
          .append(java.math.BigDecimal.valueOf(b).toPlainString());
    }
    return sb.toString();
  }
}
