package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the StatsD parser over generated datagrams, well-formed and not: it never throws,
 * accounts for every line exactly once, emits only samples that cannot poison a series, and gives
 * one series one key and one route whatever the order of its tags.
 */
class StatsdParserProperties {

  @Property(tries = 2000)
  void everyLineIsAcceptedOrRejectedOnceAndNothingThrows(@ForAll("datagrams") String packet) {
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    RecordingSink sink = new RecordingSink();
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, sink);
    assertThat(parser.stats().accepted() + parser.stats().rejectedTotal()).isEqualTo(lines(packet));
    assertThat((long) sink.rejected.size()).isEqualTo(parser.stats().rejectedTotal());
  }

  @Property(tries = 2000)
  void noSampleCanTakeASeriesToInfinityOrNaN(@ForAll("datagrams") String packet) {
    RecordingSink sink = new RecordingSink();
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, sink);
    for (RecordingSink.Parsed s : sink.samples) {
      assertThat(s.rate).isBetween(StatsdLineParser.MIN_SAMPLE_RATE, 1.0);
      assertThat(s.value).isFinite();
      assertThat(s.value / s.rate).isFinite();
    }
  }

  @Property(tries = 500)
  void tagOrderDoesNotSplitASeries(
      @ForAll("names") String name, @ForAll("tagLists") List<String> tags, @ForAll long seed) {
    List<String> shuffled = new ArrayList<>(tags);
    Collections.shuffle(shuffled, new java.util.Random(seed));
    RecordingSink sink = new RecordingSink();
    String packet =
        name
            + ":1|c|#"
            + String.join(",", tags)
            + "\n"
            + name
            + ":1|c|#"
            + String.join(",", shuffled);
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, sink);
    assertThat(sink.samples.size()).as("both lines taken, or both refused").isIn(0, 2);
    if (sink.samples.isEmpty()) {
      return;
    }
    assertThat(sink.samples.get(1).key).isEqualTo(sink.samples.get(0).key);
    assertThat(sink.samples.get(1).hash).isEqualTo(sink.samples.get(0).hash);
  }

  /** Non-empty lines, as the parser splits them ({@code \n}, a {@code \r} before it dropped). */
  private static long lines(String packet) {
    long n = 0;
    for (String line : packet.split("\n", -1)) {
      if (!line.isEmpty() && !line.equals("\r")) {
        n++;
      }
    }
    return n;
  }

  @Provide
  Arbitrary<String> datagrams() {
    Arbitrary<String> line =
        Arbitraries.oneOf(
            wellFormed(),
            Arbitraries.strings().ofMaxLength(60), // anything at all
            Arbitraries.strings().withChars(":|@#,.\n\r-+e0123456789cgmshdTx_").ofMaxLength(40));
    return line.list().ofMaxSize(12).map(ls -> String.join("\n", ls));
  }

  private Arbitrary<String> wellFormed() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.doubles().map(d -> Double.toString(d)),
            Arbitraries.longs().map(l -> Long.toString(l)),
            Arbitraries.of(
                "1.7e308", "-1.7e308", "1e309", "4.9e-324", "+5", "-0", "NaN", "inf", "0x10", ""));
    Arbitrary<String> type = Arbitraries.of("c", "g", "ms", "h", "d", "s", "x", "");
    Arbitrary<String> rate =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.doubles().between(0, 1).map(d -> "|@" + d),
            Arbitraries.of("|@1e-320", "|@0.000001", "|@0.0000009", "|@0", "|@1.5", "|@x"));
    Arbitrary<String> tags =
        Arbitraries.oneOf(Arbitraries.just(""), tagLists().map(t -> "|#" + String.join(",", t)));
    return Combinators.combine(names(), value.list().ofMinSize(1).ofMaxSize(3), type, rate, tags)
        .as((n, vs, t, r, tg) -> n + ":" + String.join(":", vs) + "|" + t + r + tg);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withChars("abcxyz._-0123456789")
        .ofMinLength(1)
        .ofMaxLength(20)
        .filter(s -> !s.startsWith("_"));
  }

  @Provide
  Arbitrary<List<String>> tagLists() {
    Arbitrary<String> key = Arbitraries.strings().withChars("abcdef").ofMinLength(1).ofMaxLength(5);
    Arbitrary<String> val = Arbitraries.strings().withChars("xyz019/.").ofMaxLength(6);
    return Combinators.combine(key, val)
        .as((k, v) -> k + ":" + v)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .uniqueElements(t -> t.substring(0, t.indexOf(':')));
  }
}
