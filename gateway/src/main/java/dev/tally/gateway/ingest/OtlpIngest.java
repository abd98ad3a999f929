package dev.tally.gateway.ingest;

import dev.tally.protocol.otlp.MetricsRequestMapper;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Set;

/**
 * Hands the points of a decoded OTLP request to the shards, the same way for gRPC and HTTP: one
 * {@link OtlpBatch} per shard per request, all or nothing. If any shard's queue is full, nothing is
 * sent and the request is refused as {@link OtlpRequestError#OVERLOADED}, so that the exporter
 * retries it instead of losing part of it. Called on the event loop that received the request.
 */
final class OtlpIngest {
  private final ShardRouter router;
  private final PipelineStats stats;
  private final BatchSender sender;
  private final Set<String> promoted;

  /**
   * @param promoted resource attributes that become labels of every series of their resource
   */
  OtlpIngest(ShardRouter router, PipelineStats stats, Set<String> promoted, BatchSender sender) {
    this.router = router;
    this.promoted = Set.copyOf(promoted);
    this.stats = stats;
    this.sender = sender;
  }

  /**
   * Maps {@code request} and sends its points.
   *
   * @return the rejected points (for the response's {@code partial_success}), or null if the
   *     request was refused because the gateway is overloaded
   */
  Rejections export(ExportMetricsServiceRequest request, OtlpTransport transport) {
    OtlpBatch[] batches = new OtlpBatch[router.shards()];
    Rejections rejections = new Rejections();
    long accepted =
        MetricsRequestMapper.map(
            request,
            promoted,
            point -> {
              int shard = router.shardOf(point.routingHash());
              if (batches[shard] == null) {
                batches[shard] = new OtlpBatch();
              }
              batches[shard].add(point);
            },
            rejections);
    for (int shard = 0; shard < batches.length; shard++) {
      if (batches[shard] != null && !router.tryReserve(shard)) {
        for (int s = 0; s < shard; s++) {
          if (batches[s] != null) {
            router.release(s);
          }
        }
        stats.addOtlpRequestRejected(transport, OtlpRequestError.OVERLOADED);
        stats.addOtlpRejected(transport, OtlpRejectReason.OVERLOADED, accepted);
        return null;
      }
    }
    for (int shard = 0; shard < batches.length; shard++) {
      if (batches[shard] != null) {
        sender.send(shard, batches[shard].seal());
      }
    }
    stats.addOtlp(transport, accepted, rejections);
    return rejections;
  }

  /** Hands a sealed batch to shard {@code shard}, whose queue place is already taken. */
  @FunctionalInterface
  interface BatchSender {
    void send(int shard, OtlpBatch batch);
  }
}
