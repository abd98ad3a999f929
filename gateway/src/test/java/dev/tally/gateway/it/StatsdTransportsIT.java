package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import com.timgroup.statsd.StatsDClient;
import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * StatsD over TCP and over a Unix datagram socket, with the same parser, counts and reject reasons
 * as UDP, and the transport as a label of the per-transport counters.
 */
@ExtendWith(VertxExtension.class)
class StatsdTransportsIT {
  private static final String TCP_ACCEPTED =
      "tally_statsd_transport_lines_total{result=\"accepted\",transport=\"tcp\"}";
  private static final String TCP_REJECTED =
      "tally_statsd_transport_lines_total{result=\"rejected\",transport=\"tcp\"}";

  /**
   * 100 000 lines over 10 connections, written in pieces that cut lines anywhere, with bad lines,
   * an over-long line and a last line without its newline: every line is accounted for.
   */
  @Test
  void aHundredThousandLinesOverTenConnectionsAreAllAccountedFor(Vertx vertx) throws Exception {
    try (TestGateway tally =
        TestGateway.start(vertx, "--statsd-tcp-port", "0", "--statsd-max-line-length", "1024")) {
      int port = tally.gateway().statsdTcpPort();
      assertThat(port).isPositive();
      List<Thread> senders = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int c = 0; c < 10; c++) {
        int conn = c;
        Thread t =
            new Thread(
                () -> {
                  try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = s.getOutputStream();
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < 9_997; i++) {
                      sb.append("tcp.lines:1|c|#conn:").append(conn).append('\n');
                    }
                    sb.append("not a line\n"); // rejected: no type
                    sb.append("tcp.long:1|c|#k:").append("x".repeat(2000)).append('\n'); // too long
                    sb.append("tcp.last:2|c"); // no newline: the connection's end ends it
                    byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
                    // pieces of 1 to 1400 bytes, so that reads cut lines at every place
                    java.util.Random random = new java.util.Random(conn);
                    for (int at = 0; at < bytes.length; ) {
                      int n = Math.min(bytes.length - at, 1 + random.nextInt(1400));
                      out.write(bytes, at, n);
                      out.flush();
                      at += n;
                    }
                  } catch (Exception e) {
                    failures.add(e);
                  }
                });
        t.start();
        senders.add(t);
      }
      for (Thread t : senders) {
        t.join(60_000);
      }
      assertThat(failures).isEmpty();
      Exposition e =
          tally
              .scrapeUntil(
                  x ->
                      x.value(TCP_ACCEPTED) + x.value(TCP_REJECTED) == 100_000
                          && x.sum("tcp_lines_total") == 99_970
                          && x.value("tcp_last_total") == 20)
              .await(60, TimeUnit.SECONDS);
      assertThat(e.sum("tcp_lines_total")).isEqualTo(99_970);
      assertThat(e.value("tcp_last_total")).isEqualTo(20);
      assertThat(e.value(TCP_ACCEPTED)).isEqualTo(99_980);
      assertThat(e.value(TCP_REJECTED)).isEqualTo(20);
      assertThat(e.value("tally_statsd_lines_rejected_total{reason=\"line_too_long\"}"))
          .isEqualTo(10);
      assertThat(e.value("tally_statsd_lines_accepted_total")).isEqualTo(99_980);
      assertThat(
              e.value("tally_statsd_transport_lines_total{result=\"accepted\",transport=\"udp\"}"))
          .isZero();
      tally
          .scrapeUntil(x -> x.value("tally_connections_open{listener=\"statsd-tcp\"}") == 0)
          .await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Beyond the connection limit a connection is closed at once and counted; an idle connection is
   * closed after the idle timeout.
   */
  @Test
  void connectionsAreLimitedAndIdleOnesClosed(Vertx vertx) throws Exception {
    try (TestGateway tally =
        TestGateway.start(
            vertx, "--statsd-tcp-port", "0", "--max-connections", "2", "--idle-timeout", "1s")) {
      int port = tally.gateway().statsdTcpPort();
      try (Socket a = new Socket(InetAddress.getLoopbackAddress(), port);
          Socket b = new Socket(InetAddress.getLoopbackAddress(), port)) {
        a.getOutputStream().write("held:1|c\n".getBytes(StandardCharsets.US_ASCII));
        b.getOutputStream().write("held:1|c\n".getBytes(StandardCharsets.US_ASCII));
        tally
            .scrapeUntil(
                x ->
                    x.value("held_total") == 2
                        && x.value("tally_connections_open{listener=\"statsd-tcp\"}") == 2)
            .await(20, TimeUnit.SECONDS);
        try (Socket third = new Socket(InetAddress.getLoopbackAddress(), port)) {
          third.setSoTimeout(20_000);
          assertThat(third.getInputStream().read()).isEqualTo(-1); // closed by the gateway
        }
        assertThat(
                tally
                    .scrapeUntil(
                        x ->
                            x.value("tally_connections_refused_total{listener=\"statsd-tcp\"}")
                                == 1)
                    .await(20, TimeUnit.SECONDS)
                    .value("tally_connections_refused_total{listener=\"statsd-tcp\"}"))
            .isEqualTo(1);
        // a and b send nothing more: each is closed after a second of silence
        for (Socket idle : List.of(a, b)) {
          idle.setSoTimeout(20_000);
          InputStream in = idle.getInputStream();
          assertThat(in.read()).isEqualTo(-1);
        }
        tally
            .scrapeUntil(x -> x.value("tally_connections_open{listener=\"statsd-tcp\"}") == 0)
            .await(20, TimeUnit.SECONDS);
      }
    }
  }

  /** A real DogStatsD client (java-dogstatsd-client) sends over a Unix datagram socket. */
  @Test
  void aDogStatsdClientSendsOverAUnixSocket(Vertx vertx, @TempDir Path dir) throws Exception {
    Path socket = dir.resolve("dsd.socket");
    // a socket an earlier run left there is replaced; a regular file at the path is not
    Files.writeString(dir.resolve("file.socket"), "mine");
    // a Vert.x of its own: a start that fails leaves what it deployed on it
    Vertx own = Vertx.vertx();
    try {
      assertThatThrownBy(
              () ->
                  TestGateway.start(
                      own, "--statsd-unix-socket", dir.resolve("file.socket").toString()))
          .hasMessageContaining("file.socket")
          .hasMessageContaining("not a socket");
    } finally {
      own.close().await(20, TimeUnit.SECONDS);
    }
    assertThat(Files.readString(dir.resolve("file.socket"))).isEqualTo("mine");
    try (java.nio.channels.ServerSocketChannel stale =
        java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      stale.bind(java.net.UnixDomainSocketAddress.of(socket));
    }
    assertThat(Files.exists(socket)).isTrue();
    List<Exception> clientErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-unix-socket", socket.toString())) {
      assertThat(Files.exists(socket)).isTrue();
      StatsDClient client =
          new NonBlockingStatsDClientBuilder()
              .prefix("shop")
              .address("unix://" + socket)
              .constantTags("env:test")
              .enableTelemetry(false)
              .originDetectionEnabled(false)
              .errorHandler(clientErrors::add)
              .build();
      Exposition e;
      try {
        for (int i = 0; i < 500; i++) {
          client.incrementCounter("orders", "route:/cart");
          client.recordExecutionTime("checkout.latency", 20 + i % 10, "route:/cart");
          client.gauge("queue.depth", i);
        }
        client.recordEvent(
            com.timgroup.statsd.Event.builder().withTitle("deploy").withText("v2").build());
        // the client sends from its own threads: it stays open until everything has arrived
        e =
            tally
                .scrapeUntil(
                    x ->
                        x.value("shop_orders_total{env=\"test\",route=\"/cart\"}") == 500
                            && x.value(
                                    "shop_checkout_latency_seconds_count{env=\"test\",route=\"/cart\"}")
                                == 500
                            && x.value("shop_queue_depth{env=\"test\"}") == 499
                            && x.value("tally_statsd_events_total{type=\"event\"}") == 1)
                .await(20, TimeUnit.SECONDS);
      } finally {
        client.stop();
      }
      assertThat(clientErrors).isEmpty();
      assertThat(
              e.value("tally_statsd_transport_lines_total{result=\"accepted\",transport=\"unix\"}"))
          .isEqualTo(e.value("tally_statsd_lines_accepted_total"));
      assertThat(
              e.value("tally_statsd_transport_lines_total{result=\"rejected\",transport=\"unix\"}"))
          .isZero();
    }
    assertThat(Files.exists(socket)).as("the socket file is removed at the stop").isFalse();
  }
}
