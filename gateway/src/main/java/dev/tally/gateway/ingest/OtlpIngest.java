package dev.tally.gateway.ingest;

import com.google.protobuf.Message;
import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.SpanBatch;
import dev.tally.protocol.model.TraceKeeping;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.protocol.otlp.LogsRequestMapper;
import dev.tally.protocol.otlp.MetricsRequestMapper;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpEncoding;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestDecoder;
import dev.tally.protocol.otlp.OtlpRequestDecoder.Decoded;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.OtlpSignal;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.protocol.otlp.SpanMetrics;
import dev.tally.protocol.otlp.TracesRequestMapper;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes an OTLP request body and hands what it carries on, the same way for gRPC and HTTP, all or
 * nothing: metric points to the shards (one {@link OtlpBatch} per shard per request); spans to the
 * trace store and their RED points to the shards; log records to the log store. If a queue on the
 * way is full, nothing is sent and the request is refused as {@link OtlpRequestError#OVERLOADED},
 * so that the exporter retries it instead of losing part of it. Stateless and thread-safe: it runs
 * on the event loop that received the request, or on a worker for large bodies. Counts every
 * outcome in the stats.
 */
final class OtlpIngest {
  /** The message of a request refused because the queues are full. */
  static final String QUEUES_FULL = "overloaded: the shard or store queues are full, retry later";

  private final ShardRouter router;
  private final Inbox traces;
  private final Inbox logs;
  private final PipelineStats stats;
  private final Sender sender;
  private final Set<String> promoted;
  private final TraceKeeping keeping;
  private final LabelLimits limits;
  private final OtlpRequestDecoder decoder;

  /**
   * @param traces the bound of span batches waiting for the trace store
   * @param logs the bound of record batches waiting for the log store
   * @param promoted resource attributes that become labels of every series of their resource
   * @param limits bounds on a series' labels; points beyond are rejected
   * @param keeping the traces the store keeps: their spans become exemplars
   */
  OtlpIngest(
      ShardRouter router,
      Inbox traces,
      Inbox logs,
      PipelineStats stats,
      Set<String> promoted,
      LabelLimits limits,
      TraceKeeping keeping,
      OtlpRequestDecoder decoder,
      Sender sender) {
    this.router = router;
    this.traces = traces;
    this.logs = logs;
    this.decoder = decoder;
    this.promoted = Set.copyOf(promoted);
    this.limits = limits;
    this.keeping = keeping;
    this.stats = stats;
    this.sender = sender;
  }

  /**
   * True if a request of {@code signal} would be refused now whatever it holds: a cheap look before
   * the work of decoding it. Metrics and traces need the shards, traces and logs their store.
   */
  boolean saturated(OtlpSignal signal) {
    switch (signal) {
      case METRICS:
        return router.saturated();
      case TRACES:
        return router.saturated() || traces.saturated();
      default:
        return logs.saturated();
    }
  }

  /** Decodes {@code body}, then maps and sends what it carries; every outcome is counted. */
  Outcome process(
      OtlpSignal signal,
      byte[] body,
      boolean gzip,
      OtlpEncoding encoding,
      OtlpTransport transport) {
    Decoded<Message> decoded = decoder.decode(body, gzip, encoding, signal.newRequest());
    if (decoded.error() != null) {
      stats.addOtlpRequestRejected(transport, decoded.error());
      return new Outcome(null, decoded.error(), decoded.errorMessage());
    }
    Rejections rejections;
    switch (signal) {
      case METRICS:
        rejections = export((ExportMetricsServiceRequest) decoded.message(), transport);
        break;
      case TRACES:
        rejections = export((ExportTraceServiceRequest) decoded.message(), transport);
        break;
      default:
        rejections = export((ExportLogsServiceRequest) decoded.message(), transport);
    }
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
    Rejections rejections = new Rejections();
    ShardBatches batches = new ShardBatches();
    long accepted = MetricsRequestMapper.map(request, promoted, limits, batches::add, rejections);
    if (!batches.send(0)) {
      return overloaded(OtlpSignal.METRICS, transport, accepted);
    }
    stats.addOtlp(OtlpSignal.METRICS, transport, accepted, rejections);
    return rejections;
  }

  /** Maps {@code request}: spans to the trace store, their RED points to the shards. */
  Rejections export(ExportTraceServiceRequest request, OtlpTransport transport) {
    Rejections rejections = new Rejections();
    List<TraceSpan> spans = new ArrayList<>();
    long accepted = TracesRequestMapper.map(request, spans::add, rejections);
    if (!spans.isEmpty()) {
      SpanMetrics red = new SpanMetrics(keeping);
      spans.forEach(red::add);
      ShardBatches batches = new ShardBatches();
      red.drainTo(batches::add);
      SpanBatch batch = new SpanBatch(spans);
      if (!traces.tryReserve(0)) { // a place only: the bytes go with the RED points' below
        return overloaded(OtlpSignal.TRACES, transport, accepted);
      }
      // one reservation for the spans and their RED points: a request larger than the whole
      // byte bound still passes when nothing else waits
      try {
        if (!batches.send(batch.bytes())) {
          traces.release(0);
          return overloaded(OtlpSignal.TRACES, transport, accepted);
        }
        sender.toTraces(batch);
      } catch (RuntimeException e) { // a send threw after the reservation: the store got nothing
        traces.release(batch.bytes());
        throw e;
      }
    }
    stats.addOtlp(OtlpSignal.TRACES, transport, accepted, rejections);
    return rejections;
  }

  /** Maps {@code request}: records to the log store. */
  Rejections export(ExportLogsServiceRequest request, OtlpTransport transport) {
    Rejections rejections = new Rejections();
    List<LogEntry> entries = new ArrayList<>();
    long accepted =
        LogsRequestMapper.map(
            request, System.currentTimeMillis() * 1_000_000L, entries::add, rejections);
    if (!entries.isEmpty()) {
      LogBatch batch = new LogBatch(entries);
      if (!logs.tryReserve(batch.bytes())) {
        return overloaded(OtlpSignal.LOGS, transport, accepted);
      }
      sender.toLogs(batch);
    }
    stats.addOtlp(OtlpSignal.LOGS, transport, accepted, rejections);
    return rejections;
  }

  private Rejections overloaded(OtlpSignal signal, OtlpTransport transport, long accepted) {
    stats.addOtlpRequestRejected(transport, OtlpRequestError.OVERLOADED);
    stats.addOtlpRejected(signal, transport, OtlpRejectReason.OVERLOADED, accepted);
    return null;
  }

  /** The points of one request by shard, sent all or none. Confined to one thread. */
  private final class ShardBatches {
    private final OtlpBatch[] batches = new OtlpBatch[router.shards()];

    void add(OtlpPoint point) {
      int shard = router.shardOf(point.routingHash());
      if (batches[shard] == null) {
        batches[shard] = new OtlpBatch();
      }
      batches[shard].add(point);
    }

    /**
     * Takes the batches' bytes (with {@code otherBytes} of what goes with them, which its own
     * consumer gives back) and a queue place in each of their shards, and sends them; false, with
     * nothing taken or sent, if any does not fit.
     */
    boolean send(long otherBytes) {
      long bytes = otherBytes;
      for (OtlpBatch b : batches) {
        bytes += b == null ? 0 : b.bytes();
      }
      if (bytes == 0) {
        return true; // nothing to send, nothing to reserve
      }
      if (!router.tryReserveBytes(bytes)) {
        return false;
      }
      for (int shard = 0; shard < batches.length; shard++) {
        if (batches[shard] != null && !router.tryReserveRetryable(shard)) {
          for (int s = 0; s < shard; s++) {
            if (batches[s] != null) {
              router.release(s);
            }
          }
          router.releaseBytes(bytes);
          return false;
        }
      }
      int sent = 0;
      try {
        for (; sent < batches.length; sent++) {
          if (batches[sent] != null) {
            sender.toShard(sent, batches[sent].seal());
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
      return true;
    }
  }

  /** What became of a request: the rejected items, or the error that refused it whole. */
  static final class Outcome {
    /** The rejected items for the {@code partial_success}; null if {@link #error} is set. */
    final Rejections rejections;

    final OtlpRequestError error;
    final String errorMessage;

    Outcome(Rejections rejections, OtlpRequestError error, String errorMessage) {
      this.rejections = rejections;
      this.error = error;
      this.errorMessage = errorMessage;
    }
  }

  /** Hands batches on; their queue places and bytes are already taken. */
  interface Sender {
    void toShard(int shard, OtlpBatch batch);

    void toTraces(SpanBatch batch);

    void toLogs(LogBatch batch);
  }
}
