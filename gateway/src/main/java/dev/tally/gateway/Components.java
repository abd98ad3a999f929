package dev.tally.gateway;

import dev.tally.gateway.cluster.ClusterStats;
import dev.tally.gateway.cluster.ClusterView;
import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.ReloadCounts;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.AcceptGate;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Listeners;
import dev.tally.gateway.http.HttpSources;
import dev.tally.gateway.http.RunState;
import dev.tally.gateway.ingest.KernelDrops;
import dev.tally.gateway.ingest.RejectedLines;
import dev.tally.gateway.notify.Delivery;
import dev.tally.protocol.prometheus.ReservedNames;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.alert.AlertVerticle;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.export.ExportOptions;
import dev.tally.verticles.export.ExportStats;
import dev.tally.verticles.export.ExportTarget;
import dev.tally.verticles.export.ExportVerticle;
import dev.tally.verticles.export.Signal;
import dev.tally.verticles.history.HistoryVerticle;
import dev.tally.verticles.live.LiveStats;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.logs.LogStoreVerticle;
import dev.tally.verticles.query.QueryEngine;
import dev.tally.verticles.query.QueryLimits;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.SelfMeters;
import dev.tally.verticles.trace.TraceStoreStats;
import dev.tally.verticles.trace.TraceStoreVerticle;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Every long-lived part of one gateway, made in one place ({@link #of}); {@link Gateway} deploys
 * and wires them, and hands each consumer only the parts it reads ({@link #http()}). Each part
 * binds its own meters to {@link #meters}.
 *
 * @param options the options in force (a reload replaces them)
 * @param meters Tally's own, Vert.x's and the JVM's meters: the end of {@code /metrics}
 * @param guard the heap guard that refuses ingest above the memory limit
 * @param listeners the listeners' connection limits, request body budget and timeouts
 * @param alerts the owner of the alert rules and alerts
 * @param traceInbox the bound of span batches waiting for the trace store
 * @param logInbox the bound of record batches waiting for the log store
 * @param cluster this node's view of the cluster; null when not clustered
 * @param exporters one per export target, each with its queue on disk
 * @param exportStats the self-metrics of each target, in the order of {@code exporters}
 * @param run ready, bound listeners, liveness, drain: written by the gateway, shown over HTTP
 */
record Components(
    CurrentOptions options,
    PipelineStats stats,
    ShardRouter router,
    RejectedLines rejected,
    SeriesLimiter limiter,
    PrometheusMeterRegistry meters,
    HeapGuard guard,
    Listeners listeners,
    AlertVerticle alerts,
    TraceStoreStats traceStats,
    Inbox traceInbox,
    TraceStoreVerticle traces,
    LogStoreStats logStats,
    Inbox logInbox,
    LogStoreVerticle logs,
    LiveStats live,
    Delivery.Counts webhookDeliveries,
    Delivery.Counts alertmanagerDeliveries,
    ReloadCounts reloads,
    ClusterView cluster,
    ClusterStats clusterStats,
    List<ExportVerticle> exporters,
    List<ExportStats> exportStats,
    HistoryVerticle history,
    RunState run) {

  /**
   * The parts of a gateway on {@code vertx} (clustered or not) with {@code options}, their meters
   * bound to {@code meters} (the registry of Vert.x's and the JVM's, whose names are reserved).
   */
  static Components of(Vertx vertx, TallyOptions options, PrometheusMeterRegistry meters) {
    CurrentOptions current = new CurrentOptions(options);
    ShardRouter router =
        new ShardRouter(options.shards(), options.shardQueue(), options.shardQueueBytes());
    SeriesLimiter limiter = new SeriesLimiter(options.maxSeries(), options.maxSeriesPerMetric());
    // the JVM meters are bound by now; Vert.x's all start with vertx_, Tally's with tally_
    limiter.reserve(ReservedNames.ofPage(meters.scrape()));
    TraceStoreStats traceStats = new TraceStoreStats();
    LogStoreStats logStats = new LogStoreStats();
    Inbox traceInbox = new Inbox(options.shardQueue(), router);
    Inbox logInbox = new Inbox(options.shardQueue(), router);
    ExportOptions export = options.exportOptions();
    ClusterView cluster = ClusterView.of(vertx); // null unless Vert.x is clustered
    HistoryVerticle history =
        options.historyOptions() == null ? null : new HistoryVerticle(options.historyOptions());
    QueryLimits limits = options.queryLimits();
    Supplier<QueryEngine> engine =
        () ->
            history == null || history.store() == null
                ? null
                : new QueryEngine(history.store(), limits);
    List<ExportVerticle> exporters = new ArrayList<>();
    List<ExportStats> exportStats = new ArrayList<>();
    for (ExportTarget target : export.targets()) {
      ExportStats s = new ExportStats(target.name(), target.signals());
      exportStats.add(s);
      exporters.add(
          new ExportVerticle(target, export, s, cluster == null ? key -> true : cluster::owns));
    }
    Components c =
        new Components(
            current,
            new PipelineStats(),
            router,
            new RejectedLines(),
            limiter,
            meters,
            new HeapGuard(current),
            new Listeners(options, AcceptGate.of(vertx)),
            new AlertVerticle(
                options.rules(),
                options.apiRules(),
                options.alertAuditFile(),
                System::currentTimeMillis,
                options.ruleGroups(),
                engine),
            traceStats,
            traceInbox,
            new TraceStoreVerticle(
                options.traceStoreOptions(),
                traceStats,
                traceInbox,
                System::currentTimeMillis,
                export.exports(Signal.TRACES)),
            logStats,
            logInbox,
            new LogStoreVerticle(
                options.logsMaxRecords(), options.logsMaxBytes(), logStats, logInbox),
            new LiveStats(),
            new Delivery.Counts("webhook"),
            new Delivery.Counts("alertmanager"),
            new ReloadCounts(),
            cluster,
            new ClusterStats(),
            List.copyOf(exporters),
            List.copyOf(exportStats),
            history,
            new RunState());
    c.bindMeters();
    return c;
  }

  private void bindMeters() {
    List<MeterBinder> binders =
        new ArrayList<>(
            List.of(
                stats,
                limiter,
                router,
                live,
                guard,
                reloads,
                traceStats,
                logStats,
                listeners,
                webhookDeliveries,
                alertmanagerDeliveries));
    if (cluster != null) {
      binders.add(cluster);
      binders.add(clusterStats);
    }
    binders.addAll(exportStats);
    if (history != null) {
      binders.add(history.counts());
    }
    binders.forEach(b -> b.bindTo(meters));
    if (KernelDrops.available()) {
      SelfMeters.counter(
          meters,
          "tally_statsd_kernel_drops_total",
          "Datagrams the kernel dropped because a StatsD socket's receive buffer was full.",
          run,
          r -> r.port("statsd") < 0 ? 0 : Math.max(0, KernelDrops.read(r.port("statsd"))));
    }
  }

  /** What the HTTP listener serves. */
  HttpSources http() {
    return new HttpSources(
        options,
        options.get().tickMillis(),
        run,
        listeners,
        guard,
        router,
        stats,
        limiter,
        live,
        meters,
        alerts,
        traces,
        logs,
        rejected::toJson,
        cluster,
        exportStats,
        options.get().exportOptions().degradedAfterMillis(),
        history,
        options.get().queryLimits());
  }
}
