package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line sent is accounted for: accepted, rejected by reason, or dropped by the kernel (the
 * socket's receive buffer overflowed). 100 000 lines go out back to back from a blocking socket, on
 * the native transport with two SO_REUSEPORT sockets and a small receive buffer, so that the burst
 * can overflow it.
 */
class StatsdAccountingIT {
  private static final int LINES = 100_000;

  private Vertx vertx;
  private TestGateway tally;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2));
  }

  private void start(String... flags) throws Exception {
    List<String> all = new ArrayList<>(List.of("--statsd-sockets", "2"));
    all.addAll(List.of(flags));
    tally = TestGateway.start(vertx, all.toArray(String[]::new));
  }

  @AfterEach
  void stop() throws Exception {
    if (tally != null) {
      tally.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptedPlusRejectedPlusKernelDropsIsEveryLineSent() throws Exception {
    start("--statsd-receive-buffer", "64KiB");
    assertThat(vertx.isNativeTransportEnabled()).as("native epoll transport").isTrue();
    int bad = 0;
    for (int i = 0; i < LINES; i++) {
      if (i % 100 == 0) {
        tally.send("broken line " + i);
        bad++;
      } else {
        tally.send("burst.c" + (i % 1000) + ":1|c|#k:" + (i % 7));
      }
    }
    Exposition m = tally.scrapeUntil(e -> total(e) == LINES).await(30, TimeUnit.SECONDS);
    double accepted = m.value("tally_statsd_lines_accepted_total");
    double rejected = m.value("tally_statsd_lines_rejected_total{reason=\"no_value\"}");
    double drops = m.value("tally_statsd_kernel_drops_total");
    assertThat(accepted + rejected + drops).isEqualTo(LINES);
    assertThat(rejected).isLessThanOrEqualTo(bad);
    assertThat(m.value("tally_statsd_packets_received_total")).isEqualTo(accepted + rejected);
    System.out.printf(
        "accounting: sent=%d accepted=%.0f rejected=%.0f kernel_drops=%.0f%n",
        LINES, accepted, rejected, drops);
    // every accepted line was aggregated: the counters sum to the accepted lines
    Exposition settled =
        tally.scrapeUntil(e -> sumBurst(e) == accepted).await(30, TimeUnit.SECONDS);
    assertThat(sumBurst(settled)).isEqualTo(accepted);
  }

  /**
   * The shards' event loops stall while a burst arrives: every datagram is read or dropped by the
   * kernel (counted), and every line read is aggregated. It does not show the readers' pause: with
   * the old send, which dropped a batch beyond a full queue after reading it, it passes too (910 of
   * 2 000 datagrams read either way: the socket's buffer filled before the reader read), so that
   * property rests on {@code BatchAccumulatorTest.overloadNeverDropsABatchAlreadyMade}.
   */
  @Test
  void aStallOfTheShardsLosesNoLineRead() throws Exception {
    start("--shard-queue", "4", "--statsd-receive-buffer", "1MiB");
    // the shards' loops held for 300 ms (below the blocked-loop check's 500): the burst is sent
    // in the first tens of them, and the reader has the rest to read what the socket holds
    long stallEnds = System.nanoTime() + 300_000_000L;
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.execute(() -> holdUntil(stallEnds));
    }
    StringBuilder datagram = new StringBuilder();
    int datagrams = LINES / 50;
    for (int i = 0; i < LINES; i++) {
      datagram.append("burst.c").append(i % 1000).append(":1|c\n");
      if (i % 50 == 49) {
        tally.send(datagram.toString());
        datagram.setLength(0);
      }
    }
    // the kernel counts datagrams: every one sent was read or dropped
    Exposition m =
        tally
            .scrapeUntil(
                e ->
                    e.value("tally_statsd_packets_received_total")
                            + e.value("tally_statsd_kernel_drops_total")
                        == datagrams)
            .await(30, TimeUnit.SECONDS);
    double accepted = m.value("tally_statsd_lines_accepted_total");
    double drops = m.value("tally_statsd_kernel_drops_total");
    assertThat(accepted).isEqualTo(m.value("tally_statsd_packets_received_total") * 50);
    assertThat(drops).as("shed by the kernel").isPositive();
    Exposition settled =
        tally.scrapeUntil(e -> sumBurst(e) == accepted).await(30, TimeUnit.SECONDS);
    assertThat(sumBurst(settled)).as("every line read was aggregated").isEqualTo(accepted);
    System.out.printf(
        "stalled shards: sent=%d datagrams, lines accepted=%.0f, kernel_drops=%.0f datagrams%n",
        datagrams, accepted, drops);
  }

  private static void holdUntil(long nanoTime) {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private static double total(Exposition e) {
    return e.value("tally_statsd_lines_accepted_total")
        + e.samples().entrySet().stream()
            .filter(x -> x.getKey().startsWith("tally_statsd_lines_rejected_total"))
            .mapToDouble(java.util.Map.Entry::getValue)
            .sum()
        + e.value("tally_statsd_kernel_drops_total");
  }

  private static double sumBurst(Exposition e) {
    return e.samples().entrySet().stream()
        .filter(x -> x.getKey().startsWith("burst_c"))
        .mapToDouble(java.util.Map.Entry::getValue)
        .sum();
  }
}
