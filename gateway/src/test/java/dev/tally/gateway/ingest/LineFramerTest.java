package dev.tally.gateway.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.StatsdTransport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A TCP stream cut into lines wherever its reads end. */
class LineFramerTest {
  private static final String STREAM =
      "a:1|c\nbb:2|c|#k:v\n\nbad line\nlong:1|c|#k:" + "x".repeat(100) + "\nc:3|g\nlast:1|c";

  private final ShardRouter router = new ShardRouter(2, Integer.MAX_VALUE);
  private final PipelineStats stats = new PipelineStats();
  private final DatagramHandler handler =
      new DatagramHandler(
          new StatsdLineParser(new StatsdParserOptions().setMaxLineLength(64)),
          new BatchAccumulator(
              (shard, batch) -> {
                router.release(shard);
                batch.release();
              },
              events -> {},
              router,
              stats,
              new RejectedLines()),
          stats,
          Integer.MAX_VALUE,
          StatsdTransport.TCP);

  @Test
  void everySplitOfTheStreamGivesTheSameLines() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
    long runs = 0;
    for (int cut = 0; cut <= bytes.length; cut++) {
      for (int second = cut; second <= bytes.length; second += 7) {
        runs++;
        LineFramer framer = new LineFramer(64);
        framer.feed(bytes, 0, cut, handler);
        framer.feed(bytes, cut, second, handler);
        framer.feed(bytes, second, bytes.length, handler);
        framer.end(handler);
        handler.endOfTurn();
      }
    }
    // each run: a, bb, c and last accepted; the bad line and the long one rejected, once each
    assertThat(stats.transportAccepted(StatsdTransport.TCP)).isEqualTo(4 * runs);
    assertThat(stats.transportRejected(StatsdTransport.TCP)).isEqualTo(2 * runs);
    assertThat(stats.statsdRejected(RejectReason.LINE_TOO_LONG)).isEqualTo(runs);
  }

  @Test
  void aLineCutAtTheLimitIsRejectedOnceAndItsRestSkipped() {
    LineFramer framer = new LineFramer(64);
    byte[] longLine = ("huge:1|c|#k:" + "y".repeat(500)).getBytes(StandardCharsets.US_ASCII);
    for (int at = 0; at < longLine.length; at += 10) {
      framer.feed(longLine, at, Math.min(longLine.length, at + 10), handler);
    }
    byte[] rest = "\nok:1|c\n".getBytes(StandardCharsets.US_ASCII);
    framer.feed(rest, 0, rest.length, handler);
    framer.end(handler);
    handler.endOfTurn();
    assertThat(stats.statsdRejected(RejectReason.LINE_TOO_LONG)).isEqualTo(1);
    assertThat(stats.transportAccepted(StatsdTransport.TCP)).isEqualTo(1);
  }
}
