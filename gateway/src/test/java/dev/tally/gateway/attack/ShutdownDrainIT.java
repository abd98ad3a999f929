package dev.tally.gateway.attack;

import static dev.tally.gateway.attack.LiveFeedAttackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.Hostile;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Attack D2, a SIGTERM under load, against the packaged jar: the gateway stops taking new work,
 * answers what is in flight, publishes its last tick and serves it to a final scrape before it
 * exits 0, so that every OTLP point it acknowledged is in the last scrape.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class ShutdownDrainIT {
  static final int POINTS = 100;

  @Test
  void everyAcknowledgedPointIsInTheLastScrapeAfterSigterm(Vertx vertx) throws Exception {
    GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"), "--shutdown-grace", "5s");
    try (g) {
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      AtomicLong acknowledged = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      byte[] body = OtlpRequests.deltaCounter("drain.points", POINTS);
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread sender =
            new Thread(() -> send(g.otlpHttpPort(), body, acknowledged, stop), "otlp-" + t);
        sender.setDaemon(true);
        sender.start();
        senders.add(sender);
      }
      await(probe.scrapeUntil(x -> acknowledged.get() >= 20_000));
      Hostile.statsd(g.statsdPort(), List.of("drain.sent:1|c", "drain.sent:1|c"));

      g.process().destroy(); // SIGTERM
      Exposition last = null;
      long deadline = System.currentTimeMillis() + 20_000;
      while (System.currentTimeMillis() < deadline) {
        try {
          last = await(probe.scrape());
        } catch (Exception e) {
          break; // the listener is gone
        }
      }
      stop.set(true);
      for (Thread s : senders) {
        s.join(10_000);
      }
      assertThat(g.process().waitFor(15, TimeUnit.SECONDS)).as("exited").isTrue();
      assertThat(g.process().exitValue()).isZero();
      assertThat(last).as("a scrape after SIGTERM").isNotNull();
      assertThat(last.value("drain_points_total{job=\"svc\"}"))
          .as("every acknowledged point in the last scrape")
          .isEqualTo(acknowledged.get());
      assertThat(last.value("drain_sent_total")).isEqualTo(2);
    }
  }

  /** Posts the request until told to stop or refused; counts the points of each 200. */
  private static void send(int port, byte[] body, AtomicLong acknowledged, AtomicBoolean stop) {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/metrics"))
            .header("content-type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    while (!stop.get()) {
      try {
        if (http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200) {
          acknowledged.addAndGet(POINTS);
        }
      } catch (IOException e) {
        // refused or closed while stopping: not acknowledged; the next try may be refused too
        if (stop.get()) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
