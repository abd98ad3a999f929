package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatsdLineParserTest {
  private final StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
  private final RecordingSink sink = new RecordingSink();

  private RecordingSink parse(String packet) {
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, sink);
    return sink;
  }

  @ParameterizedTest
  @CsvSource({
    "x:3|c, COUNTER, 3",
    "x:2.5|g, GAUGE, 2.5",
    "x:120|ms, TIMER, 120",
    "x:7|h, DISTRIBUTION, 7",
    "x:7|d, DISTRIBUTION, 7",
    "x:-0.125|d, DISTRIBUTION, -0.125",
    "x:1e3|ms, TIMER, 1000",
    "x:+4|c, COUNTER, 4",
  })
  void everyTypeIsParsed(String line, MetricKind kind, double value) {
    parse(line);
    assertThat(sink.samples)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind).isEqualTo(kind);
              assertThat(s.value).isEqualTo(value);
              assertThat(s.key.name()).isEqualTo("x");
              assertThat(s.rate).isEqualTo(1.0);
            });
    assertThat(parser.stats().accepted()).isEqualTo(1);
  }

  @Test
  void linesOverTheLabelLimitsAreRejectedAndTheOthersKept() {
    StatsdLineParser limited =
        new StatsdLineParser(new StatsdParserOptions().setLabelLimits(new LabelLimits(2, 8, 40)));
    String packet =
        String.join(
            "\n",
            "ok:1|c|#a:1,b:2",
            "three:1|c|#a:1,b:2,c:3",
            "long:1|ms|#a:123456789",
            "key.that.is.rather.long:1|c|#tag_one:12345678,t:1",
            "flag:1|c|#canary,b:2");
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    limited.parse(b, 0, b.length, sink);
    assertThat(sink.samples).extracting(x -> x.key.name()).containsExactly("ok", "flag");
    assertThat(limited.stats().rejected(RejectReason.LABEL_LIMITS)).isEqualTo(3);
    assertThat(sink.rejected).allSatisfy(r -> assertThat(r).startsWith("label_limits "));
  }

  @Test
  void setMemberIsKeptAsBytes() {
    parse("users:alice|s");
    assertThat(sink.samples)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.kind).isEqualTo(MetricKind.SET);
              assertThat(s.member).isEqualTo("alice");
            });
  }

  @Test
  void gaugeSignMarksAnAdjustment() {
    parse("g:5|g\ng:+2|g\ng:-1|g");
    assertThat(sink.samples).extracting(s -> s.delta).containsExactly(false, true, true);
    assertThat(sink.samples).extracting(s -> s.value).containsExactly(5.0, 2.0, -1.0);
  }

  @Test
  void sampleRateIsReported() {
    parse("x:1|c|@0.1");
    assertThat(sink.samples.get(0).rate).isEqualTo(0.1);
  }

  @Test
  void multiValueLineGivesOneSamplePerValue() {
    parse("lat:1:2:3|ms|#env:prod");
    assertThat(sink.samples).extracting(s -> s.value).containsExactly(1.0, 2.0, 3.0);
    assertThat(sink.samples)
        .allSatisfy(s -> assertThat(s.key.labels()).containsExactly("env", "prod"));
    assertThat(parser.stats().accepted()).isEqualTo(1);
    assertThat(parser.stats().samples()).isEqualTo(3);
  }

  @Test
  void tagsBecomeSortedSanitizedLabelsAndValuelessTagIsTrue() {
    parse("api.requests:1|c|#zone:eu-1,canary,my-tag:a b");
    assertThat(sink.samples.get(0).key.name()).isEqualTo("api_requests");
    assertThat(sink.samples.get(0).key.labels())
        .containsExactly("canary", "true", "my_tag", "a b", "zone", "eu-1");
  }

  @Test
  void containerIdBecomesALabelAndTimestampIsAccepted() {
    parse("x:1|c|#a:b|c:abc123|T1700000000");
    assertThat(sink.samples.get(0).key.labels())
        .containsExactly("a", "b", "container_id", "abc123");
  }

  @Test
  void unknownFieldsAreIgnored() {
    parse("x:1|c|e:it-false|card:low|#a:b");
    assertThat(sink.samples).hasSize(1);
    assertThat(sink.samples.get(0).key.labels()).containsExactly("a", "b");
  }

  @Test
  void sameSeriesHasSameRoutingHashWhateverTagOrderOrNameSpelling() {
    parse(
        "a.b:1|c|#x:1,y:2\na_b:1|c|#y:2,x:1\na..b:1|c|#y:2,x:1\na.b:1|c|#x:1,y:3\na.b:1|g|#x:1,y:2");
    List<RecordingSink.Parsed> s = sink.samples;
    assertThat(s.get(0).key).isEqualTo(s.get(1).key).isEqualTo(s.get(2).key);
    assertThat(s.get(0).hash).isEqualTo(s.get(1).hash).isEqualTo(s.get(2).hash);
    assertThat(s.get(3).hash).isNotEqualTo(s.get(0).hash);
    assertThat(s.get(4).hash).isNotEqualTo(s.get(0).hash);
  }

  @Test
  void containerFieldAndContainerTagAreOneSeries() {
    parse("x:1|c|c:abc\nx:1|c|#container_id:abc\nx:1|c|#canary\nx:1|c|#canary:true");
    assertThat(sink.samples.get(0).key).isEqualTo(sink.samples.get(1).key);
    assertThat(sink.samples.get(0).hash).isEqualTo(sink.samples.get(1).hash);
    assertThat(sink.samples.get(2).hash).isEqualTo(sink.samples.get(3).hash);
  }

  @Test
  void eventsAndServiceChecksAreAcceptedNotRejected() {
    parse("_e{5,4}:title|text|#env:prod\n_sc|db.up|0|#env:prod|m:fine\n_e{2,0}:hi|");
    assertThat(sink.events).containsExactly("_e{5,4}:title|text|#env:prod", "_e{2,0}:hi|");
    assertThat(sink.serviceChecks).containsExactly("_sc|db.up|0|#env:prod|m:fine");
    assertThat(parser.stats().events()).isEqualTo(2);
    assertThat(parser.stats().serviceChecks()).isEqualTo(1);
    assertThat(parser.stats().accepted()).isEqualTo(3);
    assertThat(parser.stats().rejectedTotal()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        ":1|c; EMPTY_NAME",
        "x|c; NO_VALUE",
        "x; NO_VALUE",
        "x:|c; NO_VALUE",
        "x:1:|c; NO_VALUE",
        "x:1; NO_TYPE",
        "x:1|q; BAD_TYPE",
        "x:1|; BAD_TYPE",
        "x:1|mss; BAD_TYPE",
        "x:abc|c; BAD_VALUE",
        "x:NaN|g; BAD_VALUE",
        "x:Infinity|g; BAD_VALUE",
        "x:1e999|g; BAD_VALUE",
        "x:1.2.3|g; BAD_VALUE",
        "x:-1|c; NEGATIVE_COUNTER",
        "x:1|c|@0; BAD_SAMPLE_RATE",
        "x:1|c|@1.5; BAD_SAMPLE_RATE",
        "x:1|c|@abc; BAD_SAMPLE_RATE",
        "x:1|c|@1e-320; BAD_SAMPLE_RATE", // subnormal: 1/rate is +Inf
        "x:1|c|@0.0000009; BAD_SAMPLE_RATE", // below the floor of one in a million
        "t:1e308|ms|@0.001; BAD_VALUE", // finite, but not once scaled by 1/rate
        "x:1.7e308|c|@0.5; BAD_VALUE",
        "x:1|c|#:v; BAD_TAGS",
        "x:1|c|Tnow; BAD_TIMESTAMP",
        "_e{5,4}:title|tex; BAD_EVENT",
        "_e{x,4}:title|text; BAD_EVENT",
        "_e{99999999999999999,4}:title|text; BAD_EVENT",
        "_sc||0; BAD_SERVICE_CHECK",
        "_sc|db|7; BAD_SERVICE_CHECK",
      })
  void badLineIsCountedByReasonAndParsingContinues(String bad, RejectReason reason) {
    parse("good.a:1|c\n" + bad + "\ngood.b:1|c");
    assertThat(sink.samples).extracting(s -> s.key.name()).containsExactly("good_a", "good_b");
    assertThat(parser.stats().rejected(reason)).isEqualTo(1);
    assertThat(parser.stats().rejectedTotal()).isEqualTo(1);
    assertThat(sink.rejected).containsExactly(reason.label() + " " + bad);
  }

  @Test
  void overLongLineIsSkipped() {
    StatsdLineParser small = new StatsdLineParser(new StatsdParserOptions().setMaxLineLength(16));
    byte[] b = "ok:1|c\nthis.name.is.too.long:1|c\nok:2|c".getBytes(StandardCharsets.UTF_8);
    small.parse(b, 0, b.length, sink);
    assertThat(sink.samples).hasSize(2);
    assertThat(small.stats().rejected(RejectReason.LINE_TOO_LONG)).isEqualTo(1);
  }

  @Test
  void vertxBufferIsParsedLikeBytes() {
    parser.parse(io.vertx.core.buffer.Buffer.buffer("a:1|c\nb:2|g"), sink);
    assertThat(sink.samples).extracting(s -> s.key.name()).containsExactly("a", "b");
  }

  @Test
  void cutEndOfAnOverLongDatagramIsRejectedAsPacketTooLong() {
    byte[] b = "whole:1|c\ncut.of".getBytes(StandardCharsets.US_ASCII);
    parser.parse(b, 0, 10, sink);
    parser.rejectTruncated(b, 10, b.length, sink);
    assertThat(sink.samples).hasSize(1);
    assertThat(parser.stats().rejected(RejectReason.PACKET_TOO_LONG)).isEqualTo(1);
    assertThat(sink.rejected).containsExactly("packet_too_long cut.of");
  }

  @Test
  void emptyLinesAndCrLfAreTolerated() {
    parse("a:1|c\r\n\n\nb:2|c\n");
    assertThat(sink.samples).hasSize(2);
    assertThat(parser.stats().rejectedTotal()).isZero();
  }

  @Test
  void randomBytesNeverThrowAndEveryLineIsAccountedFor() {
    Random random = new Random(42);
    byte[] alphabet = "ab.:|#@,c:gmsdhT0123456789-+_e{}\n".getBytes(StandardCharsets.US_ASCII);
    for (int round = 0; round < 20_000; round++) {
      byte[] packet = new byte[random.nextInt(120)];
      for (int i = 0; i < packet.length; i++) {
        packet[i] =
            random.nextInt(4) == 0
                ? (byte) random.nextInt(256)
                : alphabet[random.nextInt(alphabet.length)];
      }
      parser.parse(packet, 0, packet.length, sink);
    }
    assertThat(parser.stats().accepted() + parser.stats().rejectedTotal()).isPositive();
    assertThat(sink.samples.size()).isEqualTo(parser.stats().samples());
  }

  @Test
  void theRoutingHashOfACanonicalKeyIsTheHashOfItsLines() {
    for (String line :
        new String[] {
          "api.latency:12|ms|#env:prod,region:eu",
          "api.latency:12|ms|#region:eu,env:prod",
          "9lives..count:1|c|#canary,host:a-1|c:abc123",
          "queue-depth:3|g",
          "users:ann|s|#team:x",
          "h\u00e9llo w\u00f6rld:1|h|#t\u00e4g:v\u00e4l"
        }) {
      RecordingSink one = new RecordingSink();
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      new StatsdLineParser(new StatsdParserOptions()).parse(b, 0, b.length, one);
      assertThat(one.samples).as(line).isNotEmpty();
      RecordingSink.Parsed s = one.samples.get(0);
      assertThat(StatsdKeys.routingHash(s.key)).as(line).isEqualTo(s.hash);
    }
  }
}
