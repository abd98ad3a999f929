package dev.tally.gateway.http;

import dev.tally.gateway.cluster.ClusterStats;
import dev.tally.gateway.cluster.ClusterView;
import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.ReloadCounts;
import dev.tally.gateway.guard.AcceptGate;
import dev.tally.gateway.guard.Listeners;
import dev.tally.gateway.guard.Liveness;
import dev.tally.gateway.ingest.HeapGuard;
import dev.tally.gateway.ingest.KernelDrops;
import dev.tally.gateway.ingest.RejectedLines;
import dev.tally.gateway.notify.Delivery;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.alert.AlertVerticle;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.live.LiveStats;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.logs.LogStoreVerticle;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.SelfMeters;
import dev.tally.verticles.trace.TraceStoreStats;
import dev.tally.verticles.trace.TraceStoreVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the HTTP routes read of the rest of the gateway: pipeline counters, shard queues, rejected
 * lines, bound listeners and readiness. Thread-safe.
 */
public final class GatewayState {
  final PipelineStats stats;
  final ShardRouter router;
  final RejectedLines rejected;
  final SeriesLimiter limiter;
  final long tickMillis;
  final LiveStats live = new LiveStats();
  final CurrentOptions options;

  /** Tally's own, Vert.x's and the JVM's meters, the end of {@code /metrics}. */
  final PrometheusMeterRegistry meters;

  final HeapGuard guard;
  final Listeners guards;
  final Delivery.Counts webhookDeliveries = new Delivery.Counts("webhook");
  final Delivery.Counts alertmanagerDeliveries = new Delivery.Counts("alertmanager");
  final AlertVerticle alerts;
  final TraceStoreStats traceStats = new TraceStoreStats();
  final LogStoreStats logStats = new LogStoreStats();
  final Inbox traceInbox;
  final Inbox logInbox;
  final TraceStoreVerticle traces;
  final LogStoreVerticle logs;
  final ReloadCounts reloads = new ReloadCounts();

  /** Series the latest {@code /metrics} page left out for a family-name conflict. */
  final AtomicInteger typeConflicts = new AtomicInteger();

  private volatile ClusterView cluster;
  final ClusterStats clusterStats = new ClusterStats();

  private final Map<String, Integer> listeners = new ConcurrentHashMap<>();
  private volatile boolean ready;
  private volatile Drain drain; // set when the gateway stops
  private volatile Liveness liveness; // set when the gateway starts

  public GatewayState(
      CurrentOptions options,
      PipelineStats stats,
      ShardRouter router,
      RejectedLines rejected,
      SeriesLimiter limiter,
      long tickMillis,
      PrometheusMeterRegistry meters,
      AcceptGate gate) {
    this.guard = new HeapGuard(options);
    this.guards = new Listeners(options.get(), gate);
    this.alerts =
        new AlertVerticle(
            options.get().rules(),
            options.get().apiRules(),
            options.get().alertAuditFile(),
            System::currentTimeMillis);
    this.traceInbox = new Inbox(options.get().shardQueue(), router);
    this.logInbox = new Inbox(options.get().shardQueue(), router);
    this.traces =
        new TraceStoreVerticle(
            options.get().traceStoreOptions(), traceStats, traceInbox, System::currentTimeMillis);
    this.logs =
        new LogStoreVerticle(
            options.get().logsMaxRecords(), options.get().logsMaxBytes(), logStats, logInbox);
    this.meters = meters;
    this.options = options;
    this.stats = stats;
    this.router = router;
    this.rejected = rejected;
    this.limiter = limiter;
    this.tickMillis = tickMillis;
  }

  /** Records a bound listener ({@code http}, {@code statsd}, ...) and its port. */
  public void listening(String name, int port) {
    listeners.put(name, port);
  }

  /** The options in force (a reload replaces them). */
  public CurrentOptions options() {
    return options;
  }

  /** The listeners' connection limits, request body budget and timeouts. */
  public Listeners guards() {
    return guards;
  }

  /** The owner of the alert rules and alerts. */
  public AlertVerticle alerts() {
    return alerts;
  }

  /** This node's view of the cluster; null when not clustered. */
  public ClusterView cluster() {
    return cluster;
  }

  public void cluster(ClusterView cluster) {
    this.cluster = cluster;
  }

  /** What the cluster forwarder sent, received and lost. */
  public ClusterStats clusterStats() {
    return clusterStats;
  }

  /** The owner of the trace store. */
  public TraceStoreVerticle traces() {
    return traces;
  }

  /** The owner of the log store. */
  public LogStoreVerticle logs() {
    return logs;
  }

  /** The bound of span batches waiting for the trace store. */
  public Inbox traceInbox() {
    return traceInbox;
  }

  /** The log store's counters (StatsD sockets count the events they drop). */
  public LogStoreStats logStats() {
    return logStats;
  }

  /** The bound of record batches waiting for the log store. */
  public Inbox logInbox() {
    return logInbox;
  }

  /** The webhook's deliveries, counted for {@code /metrics}. */
  public Delivery.Counts webhookDeliveries() {
    return webhookDeliveries;
  }

  /** Alertmanager's deliveries, counted for {@code /metrics}. */
  public Delivery.Counts alertmanagerDeliveries() {
    return alertmanagerDeliveries;
  }

  /** The heap guard that refuses ingest above the memory limit. */
  public HeapGuard guard() {
    return guard;
  }

  /** Counts a configuration reload, applied or refused. */
  public void reloaded(boolean applied) {
    reloads.reloaded(applied);
  }

  /** The configuration reloads applied and refused. */
  public ReloadCounts reloads() {
    return reloads;
  }

  /** Tally's own, Vert.x's and the JVM's meters. */
  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** The live feed's counters. */
  public LiveStats live() {
    return live;
  }

  /** The trace store's counters. */
  public TraceStoreStats traceStats() {
    return traceStats;
  }

  public PipelineStats stats() {
    return stats;
  }

  public ShardRouter router() {
    return router;
  }

  /** The series limits every shard shares. */
  public SeriesLimiter limiter() {
    return limiter;
  }

  public RejectedLines rejected() {
    return rejected;
  }

  public Map<String, Integer> listeners() {
    return Map.copyOf(listeners);
  }

  /** Binds the meters the state keeps itself: the page's conflicts, the StatsD kernel drops. */
  public void bindOwnMeters() {
    SelfMeters.gauge(
        meters,
        "tally_series_type_conflicts",
        "Series left out of /metrics because another kind has their family name.",
        typeConflicts,
        AtomicInteger::get);
    if (KernelDrops.available()) {
      SelfMeters.counter(
          meters,
          "tally_statsd_kernel_drops_total",
          "Datagrams the kernel dropped because a StatsD socket's receive buffer was full.",
          this,
          s -> s.statsdPort() < 0 ? 0 : Math.max(0, KernelDrops.read(s.statsdPort())));
    }
  }

  /** The StatsD port; -1 until the sockets are bound. */
  int statsdPort() {
    return listeners.getOrDefault("statsd", -1);
  }

  /** The watch on event loops and fatal errors; null before the gateway starts. */
  public Liveness liveness() {
    return liveness;
  }

  public void liveness(Liveness liveness) {
    this.liveness = liveness;
  }

  /** The stop's last steps, for the HTTP listener to follow; null while running. */
  Drain drain() {
    return drain;
  }

  /** Starts following the stop's last steps. */
  public void drain(Drain drain) {
    this.drain = drain;
  }

  /** Marks the gateway ready (every listener bound, every verticle deployed) or not. */
  public void ready(boolean ready) {
    this.ready = ready;
  }

  public boolean isReady() {
    return ready;
  }
}
