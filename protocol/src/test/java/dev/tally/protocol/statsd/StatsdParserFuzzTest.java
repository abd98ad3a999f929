package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A fuzz target for the StatsD parser (Jazzer). Under {@code mvn verify} it replays its corpus
 * ({@code StatsdParserFuzzTestInputs} in the test resources: the attacks' datagrams and every crash
 * found so far); with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}, as {@code .ci/run}
 * does. Whatever the bytes: no exception, every line counted once, no sample that can reach ±Inf.
 */
class StatsdParserFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void anyDatagram(byte[] packet) {
    StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
    RecordingSink sink = new RecordingSink();
    parser.parse(packet, 0, packet.length, sink);
    assertThat(parser.stats().accepted() + parser.stats().rejectedTotal()).isEqualTo(lines(packet));
    for (RecordingSink.Parsed s : sink.samples) {
      assertThat(s.rate).isBetween(StatsdLineParser.MIN_SAMPLE_RATE, 1.0);
      assertThat(s.value / s.rate).isFinite();
    }
  }

  /** Non-empty lines, as the parser splits them ({@code \n}, a {@code \r} before it dropped). */
  private static long lines(byte[] b) {
    long n = 0;
    int from = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i == b.length || b[i] == '\n') {
        int to = i > from && b[i - 1] == '\r' ? i - 1 : i;
        if (to > from) {
          n++;
        }
        from = i + 1;
      }
    }
    return n;
  }
}
