package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.DeltaBatchCodec;
import dev.tally.verticles.cluster.NodeTick;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The cluster's two wire formats (a node's tick, the delta batches sent to owners) on messages made
 * from generated StatsD traffic: what is written reads back the same, and a message cut or with a
 * bit flipped anywhere is refused with one of the decoders' own exceptions, never anything else (an
 * allocation from a forged length, a null, an arithmetic error) that would escape as a bug.
 */
class WireProperties {
  static final long T0 = 1_700_000_000_000L;

  /** What the decoders throw on a message they cannot read. */
  static final Set<Class<? extends RuntimeException>> REFUSALS =
      Set.of(
          IllegalStateException.class,
          IllegalArgumentException.class,
          IndexOutOfBoundsException.class);

  @Property(tries = 200)
  void aNodeTickReadsBackAndACutOrFlippedOneIsRefusedCleanly(
      @ForAll("traffic") String lines, @ForAll("fractions") double where, @ForAll int bit) {
    ShardSnapshot shard = shard(lines, true).tick(T0 + 1000);
    assertThat(shard.series()).isNotEmpty();
    Buffer wire = new NodeTick("a", shard.tickMillis(), shard.series()).encode();
    assertThat(NodeTick.decode(wire).encode().getBytes()).isEqualTo(wire.getBytes());
    int at = Math.min(wire.length() - 1, (int) (where * wire.length()));
    assertThatThrownBy(() -> NodeTick.decode(wire.getBuffer(0, at)))
        .satisfies(e -> assertThat(refusal(e)).as(e.toString()).isTrue());
    flipped(wire, at, bit, NodeTick::decode);
  }

  @Property(tries = 200)
  void aDeltaBatchReadsBackAndACutOrFlippedOneIsRefusedCleanly(
      @ForAll("traffic") String lines, @ForAll("fractions") double where, @ForAll int bit) {
    ShardSnapshot shard = shard(lines, false).tick(T0 + 1000);
    assertThat(shard.outgoing()).isNotEmpty();
    DeltaBatchCodec codec = new DeltaBatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeltaBatch("a", shard.tickMillis(), shard.outgoing()));
    Buffer again = Buffer.buffer();
    codec.encodeToWire(again, codec.decodeFromWire(0, wire));
    assertThat(again.getBytes()).isEqualTo(wire.getBytes());
    int at = Math.min(wire.length() - 1, (int) (where * wire.length()));
    assertThatThrownBy(() -> codec.decodeFromWire(0, wire.getBuffer(0, at)))
        .satisfies(e -> assertThat(refusal(e)).as(e.toString()).isTrue());
    flipped(wire, at, bit, b -> codec.decodeFromWire(0, b));
  }

  /** Decodes {@code wire} with one bit flipped at {@code at}: read, or refused cleanly. */
  private static void flipped(Buffer wire, int at, int bit, Function<Buffer, ?> decode) {
    byte[] b = wire.getBytes();
    b[at] ^= (byte) (1 << (bit & 7));
    try {
      decode.apply(Buffer.buffer(b));
    } catch (RuntimeException e) {
      assertThat(refusal(e)).as("flipped bit at " + at + ": " + e).isTrue();
    }
  }

  private static boolean refusal(Throwable e) {
    return REFUSALS.stream().anyMatch(c -> c.isInstance(e));
  }

  /** A shard fed {@code lines}: owning every series, or forwarding every one to its owner. */
  private static ShardAggregator shard(String lines, boolean owns) {
    ShardAggregator shard =
        new ShardAggregator(
            0,
            new AggregatorOptions(),
            new SeriesLimiter(10_000),
            new PipelineStats(),
            Ownership.fixed(owns));
    shard.tick(T0); // ownership is looked at by the tick: forwarding starts here
    SampleBatch batch = new SampleBatch();
    byte[] b = lines.getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), T0 + 500);
    return shard;
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<String> traffic() {
    Arbitrary<String> name = Arbitraries.of("api.latency", "hits", "queue", "users", "size");
    Arbitrary<String> type = Arbitraries.of("ms", "c", "g", "s", "h", "d");
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 100_000).map(String::valueOf),
            Arbitraries.doubles().between(0, 1e6).map(String::valueOf),
            Arbitraries.of("+3", "-2", "1e12", "0.001"));
    Arbitrary<String> tag = Arbitraries.of("", "|#env:prod", "|#env:dev,route:/a");
    Arbitrary<String> line =
        Combinators.combine(name, value, type, tag).as((n, v, t, g) -> n + ":" + v + "|" + t + g);
    // the last line is one every kind of series takes: all the others may be refused (a counter of
    // -2, a set of a number), and a tick without a series has nothing to encode
    return line.list()
        .ofMinSize(1)
        .ofMaxSize(300)
        .map(ls -> String.join("\n", ls) + "\nqueue:1|ms");
  }
}
