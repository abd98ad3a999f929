package dev.tally.loadtest.bench;

import dev.tally.loadtest.otlp.TracePayloads;
import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.SpanBatch;
import dev.tally.protocol.model.TraceKeeping;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.protocol.otlp.LogsRequestMapper;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpEncoding;
import dev.tally.protocol.otlp.OtlpRequestDecoder;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.protocol.otlp.SpanMetrics;
import dev.tally.protocol.otlp.TracesRequestMapper;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.logs.LogStore;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.trace.TraceStore;
import dev.tally.verticles.trace.TraceStoreOptions;
import dev.tally.verticles.trace.TraceStoreStats;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OTLP traces and logs on one thread (one core), in spans and log records per second, doing all the
 * work the gateway does for them, on whichever thread: decode the protobuf body, map it, group the
 * spans into RED points and aggregate those in a shard, add the spans to the trace store with its
 * default bounds and sampling (so that it evicts and decides as in steady state); for logs, decode,
 * map and add to the log store (default bounds). Requests of 500 spans (50 traces of 10) and of 500
 * records ({@link TracePayloads}); 256 of them, with distinct trace ids, are sent in turn.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar TracesLogsBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx2g"})
public class TracesLogsBenchmark {
  static final int TRACES = 50;
  static final int SPANS = TRACES * 10;
  static final int RECORDS = 500;
  static final int REQUESTS = 256;

  private byte[][] traceBodies;
  private byte[][] logBodies;
  private int next;
  private OtlpRequestDecoder decoder;
  private ShardAggregator shard;
  private TraceStore traces;
  private LogStore logs;
  private TraceKeeping keeping;

  @Setup(Level.Trial)
  public void setUp() {
    long now = System.currentTimeMillis() * 1_000_000L;
    traceBodies = new byte[REQUESTS][];
    logBodies = new byte[REQUESTS][];
    for (int i = 0; i < REQUESTS; i++) {
      traceBodies[i] = TracePayloads.traces(TRACES, (long) i * TRACES, now).toByteArray();
      logBodies[i] = TracePayloads.logs(RECORDS, now).toByteArray();
    }
    decoder = new OtlpRequestDecoder(64 << 20);
    shard =
        new ShardAggregator(
            0, new AggregatorOptions(), new SeriesLimiter(1_000_000), new PipelineStats());
    traces = new TraceStore(new TraceStoreOptions(), new TraceStoreStats());
    keeping = new TraceStoreOptions().keeping();
    logs = new LogStore(100_000, 64L << 20, new LogStoreStats());
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public long spans() {
    return spans(new SpanMetrics());
  }

  /**
   * As {@link #spans()}, the spans of kept traces (the store's default rule: errors, slow, 1 in 10
   * by trace id) made exemplars as the gateway does: the cost of exemplar capture per span.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public long spansWithExemplars() {
    return spans(new SpanMetrics(keeping));
  }

  private long spans(SpanMetrics red) {
    byte[] body = traceBodies[next++ & (REQUESTS - 1)];
    ExportTraceServiceRequest request =
        decoder
            .<ExportTraceServiceRequest>decode(
                body, false, OtlpEncoding.PROTOBUF, ExportTraceServiceRequest.newBuilder())
            .message();
    List<TraceSpan> spans = new ArrayList<>(SPANS);
    TracesRequestMapper.map(request, spans::add, new Rejections());
    spans.forEach(red::add);
    OtlpBatch batch = new OtlpBatch();
    red.drainTo(batch::add);
    long now = System.currentTimeMillis();
    shard.accept(batch.seal(), now);
    SpanBatch stored = new SpanBatch(spans);
    traces.add(stored.spans(), now);
    traces.decide(now);
    return stored.bytes();
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS)
  public long logRecords() {
    byte[] body = logBodies[next++ & (REQUESTS - 1)];
    ExportLogsServiceRequest request =
        decoder
            .<ExportLogsServiceRequest>decode(
                body, false, OtlpEncoding.PROTOBUF, ExportLogsServiceRequest.newBuilder())
            .message();
    List<LogEntry> entries = new ArrayList<>(RECORDS);
    LogsRequestMapper.map(
        request, System.currentTimeMillis() * 1_000_000L, entries::add, new Rejections());
    LogBatch batch = new LogBatch(entries);
    logs.add(batch.entries());
    return batch.bytes();
  }
}
