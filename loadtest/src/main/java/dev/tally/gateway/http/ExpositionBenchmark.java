package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.NativeHistogram;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The user series' part of {@code /metrics} for 100 000 series (half counters, half timers exposed
 * as histograms of 11 buckets with native buckets beside), rendered whole in each format a piece at
 * a time as a scrape renders it; the score is pages per second on one thread. The page's size in
 * each format is printed at set-up. (In the package of the exposition, whose classes are the HTTP
 * verticle's own.)
 *
 * <pre>java -jar loadtest/target/benchmarks.jar ExpositionBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ExpositionBenchmark {
  static final int SERIES = 100_000;

  @Param({"TEXT", "OPENMETRICS", "PROTOBUF"})
  public String format;

  private TickSnapshot tick;
  private ExpositionFormat chosen;

  @Setup(Level.Trial)
  public void setUp() {
    chosen = ExpositionFormat.valueOf(format);
    tick = tick();
    System.out.println(
        "\n" + format + " page of " + SERIES + " series: " + page(tick, chosen) + " bytes");
  }

  static TickSnapshot tick() {
    List<SeriesSnapshot> all = new ArrayList<>(SERIES);
    double[] quantiles = {10_000, 20_000, 30_000, 40_000, 50_000};
    double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    long[] nativeCounts = new long[20];
    java.util.Arrays.fill(nativeCounts, 5);
    for (int i = 0; i < SERIES; i++) {
      boolean counter = i % 2 == 0;
      SeriesKey key =
          SeriesKey.of(
              counter ? MetricKind.COUNTER : MetricKind.TIMER,
              "checkout.request." + (i % 100),
              List.of("route", "/api/v1/items/" + i, "region", "eu-west-" + (i % 3)));
      SeriesName name = new SeriesName(key, null, SeriesName.familyOf(key), 1_700_000_000_000L);
      if (counter) {
        all.add(new SeriesSnapshot(name, 1000, i, 0, 0, 0, Double.NaN, Double.NaN, null));
      } else {
        double[] cumulative = new double[bounds.length];
        for (int b = 0; b < bounds.length; b++) {
          cumulative[b] = 10 * (b + 1);
        }
        all.add(
            SeriesSnapshot.observed(
                name,
                1000,
                100,
                3000,
                1,
                90,
                null,
                quantiles,
                ObserverType.HISTOGRAM,
                bounds,
                cumulative,
                new NativeHistogram(5, 0, -150, nativeCounts, 1, null)));
      }
    }
    return TickSnapshot.of(1000, all, (a, b) -> a);
  }

  /** Renders the page in pieces; its size in bytes. */
  static long page(TickSnapshot tick, ExpositionFormat format) {
    SeriesExposition page = new SeriesExposition(tick, format);
    long bytes = 0;
    while (!page.done()) {
      bytes += page.next(HttpVerticle.PAGE_PIECE_BYTES).length();
    }
    return bytes;
  }

  @Benchmark
  public long render() {
    return page(tick, chosen);
  }
}
