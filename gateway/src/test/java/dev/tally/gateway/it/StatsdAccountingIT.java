package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every line sent is accounted for: accepted, rejected by reason, or dropped by the kernel (the
 * socket's receive buffer overflowed). 100 000 one-line datagrams go out back to back from a
 * blocking socket, on the native transport with two SO_REUSEPORT sockets and a small receive
 * buffer, so that the burst can overflow it.
 */
class StatsdAccountingIT {
  private static final int LINES = 100_000;

  private Vertx vertx;
  private TestGateway tally;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2));
    tally = TestGateway.start(vertx, "--statsd-sockets", "2", "--statsd-receive-buffer", "64KiB");
  }

  @AfterEach
  void stop() throws Exception {
    tally.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptedPlusRejectedPlusKernelDropsIsEveryLineSent() throws Exception {
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
    assertThat(settled.value("tally_dropped_samples_total{reason=\"queue_full\"}")).isZero();
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
