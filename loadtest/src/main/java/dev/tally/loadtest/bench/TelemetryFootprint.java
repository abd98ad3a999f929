package dev.tally.loadtest.bench;

import dev.tally.loadtest.otlp.TracePayloads;
import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.protocol.otlp.LogsRequestMapper;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.protocol.otlp.TracesRequestMapper;
import dev.tally.verticles.logs.LogStore;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.trace.TraceStore;
import dev.tally.verticles.trace.TraceStoreOptions;
import dev.tally.verticles.trace.TraceStoreStats;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per stored span and per stored log record: fills a trace store (every trace kept) with
 * {@code n} spans and a log store with {@code n} records of {@link TracePayloads}, mapped as the
 * gateway maps them, and divides the heap growth (after full GCs) by {@code n}; prints the stores'
 * own estimate beside it.
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar dev.tally.loadtest.bench.TelemetryFootprint [n]
 * </pre>
 */
public final class TelemetryFootprint {
  private TelemetryFootprint() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    long now = System.currentTimeMillis() * 1_000_000L;

    long before = SeriesFootprint.usedAfterGc();
    TraceStoreStats traceStats = new TraceStoreStats();
    TraceStore traces =
        new TraceStore(
            new TraceStoreOptions()
                .setMaxSpans(Integer.MAX_VALUE)
                .setMaxBytes(Long.MAX_VALUE)
                .setSampleRatio(1.0)
                .setSlowNanos(0)
                .setDecisionWaitMillis(0),
            traceStats);
    for (int t = 0; t < n / 10; t += 50) { // requests of 50 traces of 10 spans
      List<TraceSpan> spans = new ArrayList<>();
      TracesRequestMapper.map(TracePayloads.traces(50, t, now), spans::add, new Rejections());
      traces.add(spans, 0);
    }
    traces.decide(0);
    long spanBytes = SeriesFootprint.usedAfterGc() - before;
    System.out.printf(
        "spans %,d: %,d bytes per span measured, %,d estimated by the store%n",
        traceStats.spans(),
        spanBytes / traceStats.spans(),
        traceStats.bytes() / traceStats.spans());

    before = SeriesFootprint.usedAfterGc();
    LogStoreStats logStats = new LogStoreStats();
    LogStore logs = new LogStore(Integer.MAX_VALUE, Long.MAX_VALUE, logStats);
    for (int r = 0; r < n; r += 500) {
      List<LogEntry> entries = new ArrayList<>();
      LogsRequestMapper.map(TracePayloads.logs(500, now + r), now, entries::add, new Rejections());
      logs.add(entries);
    }
    long logBytes = SeriesFootprint.usedAfterGc() - before;
    System.out.printf(
        "log records %,d: %,d bytes per record measured, %,d estimated by the store%n",
        logStats.records(), logBytes / logStats.records(), logStats.bytes() / logStats.records());
    Reference.reachabilityFence(traces); // measured with both stores alive
    Reference.reachabilityFence(logs);
  }
}
