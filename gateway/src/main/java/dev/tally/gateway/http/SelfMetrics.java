package dev.tally.gateway.http;

import dev.tally.gateway.cluster.ClusterStats;
import dev.tally.gateway.guard.ConnectionLimit;
import dev.tally.gateway.guard.Listeners;
import dev.tally.gateway.guard.RequestBudget;
import dev.tally.gateway.ingest.HeapGuard;
import dev.tally.gateway.notify.Delivery;
import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.OtlpSignal;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.alert.AlertState;
import dev.tally.verticles.alert.AlertStates;
import dev.tally.verticles.alert.AlertView;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.live.LiveStats;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PacketDropReason;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.trace.TraceStoreStats;
import java.util.HashMap;
import java.util.Map;

/** Writes Tally's own pipeline metrics (CONTRACT §5); read live, so current at every scrape. */
final class SelfMetrics {
  private SelfMetrics() {}

  /**
   * @param kernelDrops the StatsD sockets' kernel drop count, or -1 if unknown
   * @param conflicts series left out of the exposition for a family-name conflict
   */
  static void write(
      PrometheusText out,
      PipelineStats stats,
      ShardRouter router,
      SeriesLimiter limiter,
      long kernelDrops,
      int conflicts,
      LiveStats live) {
    counter(
        out,
        "tally_statsd_packets_received_total",
        "StatsD datagrams received.",
        stats.statsdPackets());
    counter(
        out,
        "tally_statsd_lines_accepted_total",
        "StatsD lines accepted: metric lines, events and service checks.",
        stats.statsdLinesAccepted());
    out.family("tally_statsd_lines_rejected_total", "counter", "StatsD lines skipped, by reason.");
    for (RejectReason r : RejectReason.values()) {
      out.sample(
          "tally_statsd_lines_rejected_total", "", "reason", r.label(), stats.statsdRejected(r));
    }
    counter(
        out,
        "tally_statsd_samples_total",
        "StatsD samples parsed (a multi-value line gives several).",
        stats.statsdSamples());
    out.family(
        "tally_statsd_events_total", "counter", "StatsD events and service checks accepted.");
    out.sample("tally_statsd_events_total", "", "type", "event", stats.statsdEvents());
    out.sample(
        "tally_statsd_events_total", "", "type", "service_check", stats.statsdServiceChecks());
    if (kernelDrops >= 0) {
      counter(
          out,
          "tally_statsd_kernel_drops_total",
          "Datagrams the kernel dropped because a StatsD socket's receive buffer was full.",
          kernelDrops);
    }
    out.family(
        "tally_statsd_packets_dropped_total",
        "counter",
        "StatsD datagrams dropped whole before parsing, by reason.");
    for (PacketDropReason r : PacketDropReason.values()) {
      out.sample(
          "tally_statsd_packets_dropped_total",
          "",
          "reason",
          r.label(),
          stats.statsdPacketsDropped(r));
    }
    otlp(out, stats);
    out.family(
        "tally_dropped_samples_total",
        "counter",
        "Accepted samples that were not aggregated, by reason.");
    for (DropReason r : DropReason.values()) {
      out.sample("tally_dropped_samples_total", "", "reason", r.label(), stats.dropped(r));
    }
    counter(
        out,
        "tally_clamped_values_total",
        "Timer, distribution and exponential-histogram values outside the histogram range (negative ones included), clamped to it.",
        stats.clamped());
    counter(
        out,
        "tally_series_aliases_refused_total",
        "Samples whose spelling of a series key (tag order, a.b against a_b) was not remembered because the series already had 16: each is looked up by its canonical key.",
        stats.aliasesRefused());
    counter(
        out,
        "tally_shard_tick_failures_total",
        "Failures contained in the aggregation shards' ticks (a series removed, or a tick lost): bugs, logged at most once a minute.",
        stats.tickFailures());
    counter(
        out,
        "tally_series_overflow_samples_total",
        "Samples sent to an otel_metric_overflow series because the series limit or the metric's limit was reached.",
        stats.overflow());
    gauge(
        out,
        "tally_series_active",
        "Series held by the aggregation shards.",
        stats.seriesActive().get());
    gauge(out, "tally_series_limit", "The series limit (max-series).", limiter.max());
    gauge(
        out,
        "tally_series_limit_per_metric",
        "The series limit of one metric name (max-series-per-metric).",
        limiter.maxPerMetric());
    gauge(
        out,
        "tally_series_type_conflicts",
        "Series left out of /metrics because another kind has their family name.",
        conflicts);
    live(out, live);
    gauge(
        out,
        "tally_shard_queue_bytes",
        "Estimated heap of what waits for the shards and the trace and log stores, all together: OTLP points, spans, log records and, clustered, other nodes' deltas.",
        router.pendingBytes());
    gauge(
        out,
        "tally_shard_queue_bytes_limit",
        "The bound of tally_shard_queue_bytes (shard-queue-bytes).",
        router.maxPendingBytes());
    out.family("tally_shard_queue_depth", "gauge", "Batches waiting for each aggregation shard.");
    for (int shard = 0; shard < router.shards(); shard++) {
      out.sample(
          "tally_shard_queue_depth", "", "shard", Integer.toString(shard), router.depth(shard));
    }
  }

  /** The trace and log stores: what they hold, what they evicted and sampled out. */
  static void stores(PrometheusText out, TraceStoreStats traces, LogStoreStats logs) {
    gauge(out, "tally_trace_store_spans", "Spans the trace store holds.", traces.spans());
    gauge(
        out,
        "tally_trace_store_traces",
        "Traces the trace store holds, kept and waiting for their decision.",
        traces.traces());
    gauge(
        out,
        "tally_trace_store_bytes",
        "Estimated heap of the spans the trace store holds.",
        traces.bytes());
    counter(
        out,
        "tally_trace_store_evicted_spans_total",
        "Spans evicted from the trace store at its span or byte bound, oldest traces first.",
        traces.spansEvicted());
    counter(
        out,
        "tally_trace_store_evicted_traces_total",
        "Traces evicted from the trace store at its span or byte bound, oldest first.",
        traces.tracesEvicted());
    counter(
        out,
        "tally_trace_store_sampled_out_spans_total",
        "Spans of traces dropped because they were neither errors, slow nor sampled.",
        traces.spansSampledOut());
    out.family(
        "tally_trace_store_kept_traces_total",
        "counter",
        "Traces kept by the trace store, by reason (error, slow, sampled).");
    for (TraceStoreStats.KeepReason r : TraceStoreStats.KeepReason.values()) {
      out.sample(
          "tally_trace_store_kept_traces_total", "", "reason", r.label(), traces.tracesKept(r));
    }
    counter(
        out,
        "tally_trace_store_sampled_out_traces_total",
        "Traces dropped because they were neither errors, slow nor sampled.",
        traces.tracesSampledOut());
    gauge(out, "tally_log_store_records", "Log records the log store holds.", logs.records());
    gauge(
        out,
        "tally_log_store_bytes",
        "Estimated heap of the log records the log store holds.",
        logs.bytes());
    counter(
        out,
        "tally_log_store_evicted_records_total",
        "Log records evicted from the log store at its record or byte bound, oldest first.",
        logs.evicted());
    counter(
        out,
        "tally_log_store_dropped_records_total",
        "Log records of StatsD events dropped because the log store's queue or the shared byte bound was full.",
        logs.dropped());
  }

  /** The cluster: members, and the series deltas sent, received and lost. */
  static void cluster(PrometheusText out, GatewayState state) {
    if (state.cluster() == null) {
      return;
    }
    ClusterStats c = state.clusterStats;
    gauge(
        out,
        "tally_cluster_members",
        "Members of the cluster that own series, this node included (a member that said it is leaving is not counted).",
        state.cluster().ring().members().size());
    counter(
        out,
        "tally_cluster_deltas_sent_total",
        "Series deltas (one series' tick on this node) sent to the node that owns the series and acknowledged.",
        c.deltasSent());
    counter(
        out,
        "tally_cluster_deltas_received_total",
        "Series deltas received for series this node owns: from other nodes, and this node's own when a series came to it.",
        c.deltasReceived());
    counter(
        out,
        "tally_cluster_deltas_lost_total",
        "Series deltas lost on their way to their owner: not acknowledged in time (it left or was slow), refused by it, or not sent because too many batches already waited for it. One tick of the series each.",
        c.deltasLost());
    counter(
        out,
        "tally_cluster_batches_refused_total",
        "Delta batches from other nodes that could not be decoded (another version, a damaged message).",
        c.batchesRefused());
    counter(
        out,
        "tally_cluster_deltas_dropped_total",
        "Series deltas received for series this node owns and dropped because a shard's queue or the shards' byte bound was full.",
        c.deltasDropped());
    counter(
        out,
        "tally_cluster_view_bytes_sent_total",
        "Bytes of this node's series published for the other nodes' dashboards (each publication counted once, whatever the number of nodes).",
        c.viewBytesSent());
    counter(
        out,
        "tally_cluster_views_refused_total",
        "Messages of series published by other nodes that could not be decoded (another version, a damaged message).",
        c.viewsRefused());
  }

  /** The heap guard and the configuration reloads. */
  static void operations(PrometheusText out, GatewayState state) {
    HeapGuard guard = state.guard;
    gauge(
        out,
        "tally_memory_limit_bytes",
        "Live heap (estimated) above which ingest is refused (memory-limit-percent of the maximum heap).",
        guard.limitBytes());
    gauge(
        out,
        "tally_memory_after_gc_bytes",
        "Heap in use after the last garbage collection.",
        guard.afterGcBytes());
    gauge(
        out,
        "tally_memory_after_gc_max_bytes",
        "The most heap in use after a garbage collection since start.",
        guard.maxAfterGcBytes());
    gauge(
        out,
        "tally_memory_live_estimate_bytes",
        "The heap guard's estimate of the live heap: the young generation after the latest collection and the old generation after its last collection (or the heap in use after the latest collection, or now, if less).",
        guard.liveEstimateBytes());
    gauge(
        out,
        "tally_memory_live_estimate_max_bytes",
        "The highest live-heap estimate since start.",
        guard.maxLiveEstimateBytes());
    gauge(
        out,
        "tally_memory_limited",
        "1 while ingest is refused because the heap is over the memory limit, else 0.",
        guard.refusing() ? 1 : 0);
    out.family(
        "tally_alert_deliveries_total",
        "counter",
        "Alert notification bodies by receiver: sent, failed (given up after retries), dropped (queue full).");
    deliveries(out, "webhook", state.webhookDeliveries);
    deliveries(out, "alertmanager", state.alertmanagerDeliveries);
    out.family(
        "tally_config_reloads_total", "counter", "Configuration reloads, applied or refused.");
    out.sample("tally_config_reloads_total", "", "result", "applied", state.reloadsApplied.sum());
    out.sample("tally_config_reloads_total", "", "result", "refused", state.reloadsRefused.sum());
    gauge(
        out,
        "tally_config_last_reload_successful",
        "1 if the last reload was applied (or none was tried), 0 if it was refused.",
        state.lastReloadOk() ? 1 : 0);
  }

  /**
   * {@code ALERTS{alertname,alertstate,severity,...} 1} for every pending and firing alert, as
   * Prometheus writes it; nothing before the first evaluation.
   */
  static void alerts(PrometheusText out, AlertStates states) {
    if (states == null) {
      return;
    }
    boolean first = true;
    for (AlertView a : states.alerts()) {
      if (a.state() == AlertState.RESOLVED) {
        continue;
      }
      if (first) {
        out.family("ALERTS", "gauge", "Pending and firing alerts, one series each.");
        first = false;
      }
      Map<String, String> labels = new HashMap<>(a.labels());
      labels.put("alertstate", a.state().label());
      out.sample("ALERTS", PrometheusText.labels(labels), 1);
    }
  }

  private static void deliveries(PrometheusText out, String receiver, Delivery.Counts c) {
    String labels = "receiver=\"" + receiver + "\"";
    out.sample("tally_alert_deliveries_total", labels, "result", "sent", c.sent());
    out.sample("tally_alert_deliveries_total", labels, "result", "failed", c.failed());
    out.sample("tally_alert_deliveries_total", labels, "result", "dropped", c.dropped());
  }

  /** The listeners' connection limits, the OTLP request body budget and request timeouts. */
  static void listeners(PrometheusText out, Listeners listeners) {
    out.family("tally_connections_open", "gauge", "Open TCP connections, by listener.");
    for (ConnectionLimit l : listeners.all()) {
      out.sample("tally_connections_open", "", "listener", l.listener(), l.open());
    }
    out.family(
        "tally_connections_max", "gauge", "Connections a listener accepts (max-connections).");
    for (ConnectionLimit l : listeners.all()) {
      out.sample("tally_connections_max", "", "listener", l.listener(), l.max());
    }
    out.family(
        "tally_connections_refused_total",
        "counter",
        "Connections closed as soon as they were accepted: the listener was at max-connections.");
    for (ConnectionLimit l : listeners.all()) {
      out.sample("tally_connections_refused_total", "", "listener", l.listener(), l.refused());
    }
    RequestBudget b = listeners.budget();
    gauge(
        out,
        "tally_otlp_inflight_bytes",
        "OTLP request body bytes held by requests being received or processed.",
        b.held());
    gauge(
        out,
        "tally_otlp_inflight_max_bytes",
        "The budget of tally_otlp_inflight_bytes (max-inflight-bytes).",
        b.max());
    counter(
        out,
        "tally_otlp_requests_over_budget_total",
        "OTLP requests refused (UNAVAILABLE/503) because their body would have taken the bytes in flight over max-inflight-bytes; also counted as overloaded in tally_otlp_requests_rejected_total.",
        b.refused());
    counter(
        out,
        "tally_otlp_requests_timed_out_total",
        "OTLP requests ended because they were not received and answered within request-timeout.",
        b.timedOut());
  }

  private static void live(PrometheusText out, LiveStats live) {
    out.family("tally_live_clients", "gauge", "Clients of the live feed, by transport.");
    out.sample("tally_live_clients", "", "transport", "sse", live.clients("sse"));
    out.sample("tally_live_clients", "", "transport", "ws", live.clients("ws"));
    counter(
        out,
        "tally_live_frames_sent_total",
        "Live-feed frames written to clients.",
        live.framesSent());
    counter(
        out,
        "tally_live_frames_coalesced_total",
        "Live-feed frames replaced by a newer one before a slow client could take them.",
        live.framesCoalesced());
    counter(
        out,
        "tally_live_logs_dropped_total",
        "Log records the live tail did not send: over 500 in a tick, or to a client whose transport was full.",
        live.logsDropped());
    counter(
        out,
        "tally_live_frames_encoded_total",
        "Live-feed snapshot frames encoded: one per distinct subscription per tick.",
        live.encodings());
    counter(
        out,
        "tally_live_clients_closed_slow_total",
        "Live-feed clients closed because their sockets took nothing for live-slow-close (default 30 s) while they held unsent bytes.",
        live.closedSlow());
    counter(
        out,
        "tally_live_subscribes_refused_total",
        "WebSocket subscribe messages refused: over live-max-subscribes in 10 s from one client.",
        live.subscribesRefused());
    gauge(
        out,
        "tally_live_unsent_bytes",
        "Bytes written to live-feed clients that their sockets have not taken yet (bounded by live-max-bytes).",
        live.unflushedBytes());
    counter(
        out,
        "tally_live_clients_refused_total",
        "Live-feed clients refused (503) at the client limit.",
        live.refused());
  }

  private static void otlp(PrometheusText out, PipelineStats stats) {
    for (OtlpSignal s : OtlpSignal.values()) {
      String what =
          s == OtlpSignal.METRICS
              ? "data points"
              : s == OtlpSignal.TRACES ? "spans" : "log records";
      String accepted = "tally_otlp_" + s.items() + "_accepted_total";
      out.family(accepted, "counter", "OTLP " + what + " accepted, by transport.");
      for (OtlpTransport t : OtlpTransport.values()) {
        out.sample(accepted, "", "transport", t.label(), stats.otlpAccepted(s, t));
      }
      String rejected = "tally_otlp_" + s.items() + "_rejected_total";
      out.family(
          rejected,
          "counter",
          "OTLP " + what + " rejected, by transport and reason (overloaded: refused for a retry).");
      for (OtlpTransport t : OtlpTransport.values()) {
        String labels = "transport=\"" + t.label() + "\"";
        for (OtlpRejectReason r : OtlpRejectReason.values()) {
          if (r.appliesTo(s)) {
            out.sample(rejected, labels, "reason", r.label(), stats.otlpRejected(s, t, r));
          }
        }
      }
    }
    out.family(
        "tally_otlp_requests_rejected_total",
        "counter",
        "OTLP requests refused as a whole, by transport and reason.");
    for (OtlpTransport t : OtlpTransport.values()) {
      String labels = "transport=\"" + t.label() + "\"";
      for (OtlpRequestError e : OtlpRequestError.values()) {
        if (t == OtlpTransport.GRPC && e == OtlpRequestError.UNSUPPORTED_MEDIA_TYPE) {
          continue; // HTTP only
        }
        out.sample(
            "tally_otlp_requests_rejected_total",
            labels,
            "reason",
            e.label(),
            stats.otlpRequestsRejected(t, e));
      }
    }
  }

  private static void counter(PrometheusText out, String name, String help, double value) {
    out.family(name, "counter", help).sample(name, "", value);
  }

  private static void gauge(PrometheusText out, String name, String help, double value) {
    out.family(name, "gauge", help).sample(name, "", value);
  }
}
