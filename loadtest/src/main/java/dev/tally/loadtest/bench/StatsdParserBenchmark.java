package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.protocol.statsd.StatsdSample;
import dev.tally.protocol.statsd.StatsdSink;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * StatsD parsing on one thread, in lines per second: a 20-line datagram like the bench sender's
 * ({@code bench.c.s<id>:1|c}), parsed into a sink that only consumes each sample ({@code parse}),
 * and parsed into reused per-shard {@link SampleBatch}es as the UDP reader does ({@code
 * parseAndBatch}).
 *
 * <pre>java -jar loadtest/target/benchmarks.jar StatsdParserBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StatsdParserBenchmark {
  static final int LINES = 20;

  @Param({"counter", "mixed-tagged"})
  public String shape;

  private byte[] packet;
  private StatsdLineParser parser;
  private SampleBatch[] batches;

  @Setup(Level.Trial)
  public void setUp() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      int id = 1000 + i * 37;
      if (shape.equals("counter")) {
        sb.append("bench.c.s").append(id).append(":1|c\n");
      } else {
        switch (i % 4) {
          case 0:
            sb.append("bench.ms.s")
                .append(id)
                .append(":")
                .append(100 + i)
                .append(".25|ms|#env:bench,shard:")
                .append(i % 16)
                .append('\n');
            break;
          case 1:
            sb.append("bench.g.s").append(id).append(":").append(i * 13).append("|g\n");
            break;
          case 2:
            sb.append("bench.s.s").append(id).append(":u").append(i * 7).append("|s\n");
            break;
          default:
            sb.append("bench.c.s").append(id).append(":1|c|@0.5|#env:bench\n");
        }
      }
    }
    packet = sb.toString().getBytes(StandardCharsets.US_ASCII);
    parser = new StatsdLineParser(new StatsdParserOptions());
    batches = new SampleBatch[4];
    for (int i = 0; i < batches.length; i++) {
      batches[i] = new SampleBatch();
    }
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void parse(Blackhole bh) {
    parser.parse(packet, 0, packet.length, new ConsumingSink(bh));
  }

  @Benchmark
  @OperationsPerInvocation(LINES)
  public void parseAndBatch(Blackhole bh) {
    for (SampleBatch batch : batches) {
      batch.reset(); // reused, as the gateway reuses the batches its shards hand back
    }
    parser.parse(packet, 0, packet.length, s -> batches[Math.floorMod(s.routingHash(), 4)].add(s));
    bh.consume(batches);
  }

  private static final class ConsumingSink implements StatsdSink {
    private final Blackhole bh;

    ConsumingSink(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void sample(StatsdSample s) {
      bh.consume(s.routingHash());
      bh.consume(s.value());
    }
  }
}
