package dev.tally.gateway.http;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Listeners;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.alert.AlertVerticle;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.cluster.Membership;
import dev.tally.verticles.export.ExportStats;
import dev.tally.verticles.history.HistoryVerticle;
import dev.tally.verticles.live.LiveStats;
import dev.tally.verticles.logs.LogStoreVerticle;
import dev.tally.verticles.query.QueryLimits;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.trace.TraceStoreVerticle;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the HTTP listener serves of the rest of the gateway, each part read-only for it: the gateway
 * makes the parts ({@code Components}) and hands them over; the routes take only those they read.
 *
 * @param run ready, bound listeners, liveness, drain
 * @param rejected the latest rejected StatsD lines, as {@code /api/debug/rejected} shows them
 * @param cluster the cluster's members; null when not clustered
 * @param exports each export target's counters and state
 * @param exportDegradedAfterMillis a target failing this long is DEGRADED
 * @param history the history's writer, whose store the query API reads; null without history
 * @param queryLimits how far PromQL queries may go
 */
public record HttpSources(
    CurrentOptions options,
    long tickMillis,
    RunState run,
    Listeners listeners,
    HeapGuard guard,
    ShardRouter router,
    PipelineStats stats,
    SeriesLimiter limiter,
    LiveStats live,
    PrometheusMeterRegistry meters,
    AlertVerticle alerts,
    TraceStoreVerticle traces,
    LogStoreVerticle logs,
    Supplier<JsonObject> rejected,
    Membership cluster,
    List<ExportStats> exports,
    long exportDegradedAfterMillis,
    HistoryVerticle history,
    QueryLimits queryLimits) {}
