package dev.tally.gateway.ingest;

import dev.tally.protocol.otlp.MetricsRequestMapper;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpEncoding;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestDecoder;
import dev.tally.protocol.otlp.OtlpRequestDecoder.Decoded;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Set;

/**
 * Decodes an OTLP request body and hands its points to the shards, the same way for gRPC and HTTP:
 * one {@link OtlpBatch} per shard per request, all or nothing. If any shard's queue is full,
 * nothing is sent and the request is refused as {@link OtlpRequestError#OVERLOADED}, so that the
 * exporter retries it instead of losing part of it. Stateless and thread-safe: it runs on the event
 * loop that received the request, or on a worker for large bodies. Counts every outcome in the
 * stats.
 */
final class OtlpIngest {
  /** The message of a request refused because the shard queues are full. */
  static final String QUEUES_FULL = "overloaded: the shard queues are full, retry later";

  private final ShardRouter router;
  private final PipelineStats stats;
  private final BatchSender sender;
  private final Set<String> promoted;
  private final OtlpRequestDecoder decoder;

  /**
   * @param promoted resource attributes that become labels of every series of their resource
   */
  OtlpIngest(
      ShardRouter router,
      PipelineStats stats,
      Set<String> promoted,
      OtlpRequestDecoder decoder,
      BatchSender sender) {
    this.router = router;
    this.decoder = decoder;
    this.promoted = Set.copyOf(promoted);
    this.stats = stats;
    this.sender = sender;
  }

  /** Decodes {@code body}, then maps and sends its points; every outcome is counted. */
  Outcome process(byte[] body, boolean gzip, OtlpEncoding encoding, OtlpTransport transport) {
    Decoded<ExportMetricsServiceRequest> decoded =
        decoder.decode(body, gzip, encoding, ExportMetricsServiceRequest.newBuilder());
    if (decoded.error() != null) {
      stats.addOtlpRequestRejected(transport, decoded.error());
      return new Outcome(null, decoded.error(), decoded.errorMessage());
    }
    Rejections rejections = export(decoded.message(), transport);
    return rejections == null
        ? new Outcome(null, OtlpRequestError.OVERLOADED, QUEUES_FULL)
        : new Outcome(rejections, null, null);
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
    long bytes = 0;
    for (OtlpBatch b : batches) {
      bytes += b == null ? 0 : b.bytes();
    }
    if (bytes == 0) {
      stats.addOtlp(transport, accepted, rejections);
      return rejections; // nothing to send, nothing to reserve
    }
    if (!router.tryReserveBytes(bytes)) {
      return overloaded(transport, accepted);
    }
    for (int shard = 0; shard < batches.length; shard++) {
      if (batches[shard] != null && !router.tryReserve(shard)) {
        for (int s = 0; s < shard; s++) {
          if (batches[s] != null) {
            router.release(s);
          }
        }
        router.releaseBytes(bytes);
        return overloaded(transport, accepted);
      }
    }
    int sent = 0;
    try {
      for (; sent < batches.length; sent++) {
        if (batches[sent] != null) {
          sender.send(sent, batches[sent].seal());
        }
      }
    } finally {
      for (int shard = sent; shard < batches.length; shard++) {
        if (batches[shard] != null) {
          router.release(shard); // a send threw: give back the places of the batches not sent
          router.releaseBytes(batches[shard].bytes());
        }
      }
    }
    stats.addOtlp(transport, accepted, rejections);
    return rejections;
  }

  private Rejections overloaded(OtlpTransport transport, long accepted) {
    stats.addOtlpRequestRejected(transport, OtlpRequestError.OVERLOADED);
    stats.addOtlpRejected(transport, OtlpRejectReason.OVERLOADED, accepted);
    return null;
  }

  /** What became of a request: the rejected points, or the error that refused it whole. */
  static final class Outcome {
    /** The rejected points for the {@code partial_success}; null if {@link #error} is set. */
    final Rejections rejections;

    final OtlpRequestError error;
    final String errorMessage;

    Outcome(Rejections rejections, OtlpRequestError error, String errorMessage) {
      this.rejections = rejections;
      this.error = error;
      this.errorMessage = errorMessage;
    }
  }

  /** Hands a sealed batch to shard {@code shard}, whose queue place is already taken. */
  @FunctionalInterface
  interface BatchSender {
    void send(int shard, OtlpBatch batch);
  }
}
