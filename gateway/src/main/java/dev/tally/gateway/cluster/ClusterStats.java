package dev.tally.gateway.cluster;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the forwarder sent, received and lost, and what the series exchange published, bound to
 * {@code /metrics} as meters when the node is clustered. Thread-safe.
 */
public final class ClusterStats implements MeterBinder {
  final LongAdder deltasSent = new LongAdder();
  final LongAdder deltasReceived = new LongAdder();
  final LongAdder deltasLost = new LongAdder();
  final LongAdder batchesRefused = new LongAdder();
  final LongAdder deltasDropped = new LongAdder();
  final LongAdder viewBytesSent = new LongAdder();
  final LongAdder viewsRefused = new LongAdder();

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.counter(
        r,
        "tally_cluster_deltas_sent_total",
        "Series deltas (one series' tick on this node) sent to the node that owns the series and acknowledged.",
        deltasSent);
    SelfMeters.counter(
        r,
        "tally_cluster_deltas_received_total",
        "Series deltas received for series this node owns: from other nodes, and this node's own when a series came to it.",
        deltasReceived);
    SelfMeters.counter(
        r,
        "tally_cluster_deltas_lost_total",
        "Series deltas lost on their way to their owner: not acknowledged in time (it left or was slow), refused by it, or not sent because too many batches already waited for it. One tick of the series each.",
        deltasLost);
    SelfMeters.counter(
        r,
        "tally_cluster_batches_refused_total",
        "Delta batches from other nodes that could not be decoded (another version, a damaged message).",
        batchesRefused);
    SelfMeters.counter(
        r,
        "tally_cluster_deltas_dropped_total",
        "Series deltas received for series this node owns and dropped because a shard's queue or the shards' byte bound was full.",
        deltasDropped);
    SelfMeters.counter(
        r,
        "tally_cluster_view_bytes_sent_total",
        "Bytes of this node's series published for the other nodes' dashboards (each publication counted once, whatever the number of nodes).",
        viewBytesSent);
    SelfMeters.counter(
        r,
        "tally_cluster_views_refused_total",
        "Messages of series published by other nodes that could not be decoded (another version, a damaged message).",
        viewsRefused);
  }
}
