package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.PrometheusServer;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway, exporting to a real Prometheus, is killed with SIGKILL while it sends the
 * backlog of an outage, and started again on the same data directory: Prometheus ends up with every
 * export interval from before the kill, for every series, and refuses nothing.
 */
@ExtendWith(VertxExtension.class)
class RemoteWriteCrashIT {
  static final int LOAD_SERIES = 5000;

  @TempDir Path dir;

  private GatewayProcess tally(PrometheusServer prom) throws Exception {
    return GatewayProcess.run(
        List.of("-Xmx256m"),
        "--export-remote-write",
        prom.writeUrl(),
        "--export-interval",
        "1s",
        "--tick",
        "100ms",
        "--data-dir",
        dir.resolve("data").toString());
  }

  private static double value(HttpProbe probe, String sample) throws Exception {
    return probe
        .get("/metrics")
        .map(r -> new Exposition(r.body).value(sample))
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void aKillWhileSendingLosesNoSyncedInterval(Vertx vertx) throws Exception {
    Files.createDirectories(dir.resolve("prom"));
    AtomicInteger statsd = new AtomicInteger();
    DatagramSocket udp = vertx.createDatagramSocket();
    List<String> load = new ArrayList<>();
    StringBuilder packet = new StringBuilder();
    for (int i = 0; i < LOAD_SERIES; i++) {
      packet.append("crash.load:1|c|#n:").append(i).append('\n');
      if (i % 25 == 24) {
        load.add(packet.toString());
        packet.setLength(0);
      }
    }
    long probeTimer =
        vertx.setPeriodic(100, id -> udp.send("crash.probe:1|c", statsd.get(), "127.0.0.1"));
    long loadTimer =
        vertx.setPeriodic(1000, id -> load.forEach(p -> udp.send(p, statsd.get(), "127.0.0.1")));
    long killMillis;
    String target = "target=\"127.0.0.1_";
    try (PrometheusServer prom = PrometheusServer.start(vertx, dir.resolve("prom"))) {
      target += prom.port() + "_api_v1_write\"";
      GatewayProcess first = tally(prom);
      HttpProbe probe = HttpProbe.of(vertx, first.httpPort());
      statsd.set(first.statsdPort());
      prom.queryUntil("count(crash_load_total)", got -> got.getOrDefault("", 0d) == LOAD_SERIES);
      prom.stop();
      String t = target;
      probe
          .getUntil(
              "/metrics",
              r ->
                  new Exposition(r.body).value("tally_export_oldest_unsent_age_seconds{" + t + "}")
                      >= 8,
              30_000)
          .await(40, TimeUnit.SECONDS);
      double before = value(probe, "tally_export_last_success_timestamp_seconds{" + t + "}");
      prom.start();
      probe
          .getUntil(
              "/metrics",
              r ->
                  new Exposition(r.body)
                          .value("tally_export_last_success_timestamp_seconds{" + t + "}")
                      > before,
              30_000)
          .await(40, TimeUnit.SECONDS);
      first.kill(); // SIGKILL, while the backlog is being sent
      killMillis = System.currentTimeMillis();
      probe.close();

      GatewayProcess second = tally(prom);
      try {
        statsd.set(second.statsdPort());
        HttpProbe again = HttpProbe.of(vertx, second.httpPort());
        again
            .getUntil(
                "/metrics",
                r -> {
                  Exposition p = new Exposition(r.body);
                  return p.value("tally_export_sent_total{signal=\"samples\"," + t + "}") > 0
                      && p.value("tally_export_queue_bytes{" + t + "}") == 0;
                },
                60_000)
            .await(70, TimeUnit.SECONDS);
        assertThat(
                value(
                    again,
                    "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\"," + t + "}"))
            .isZero();
        again.close();

        // every interval exported before the kill arrived: the probe's samples are 1 s apart up to
        // the restart, and every load series has as many samples as the probe by then
        long at = killMillis - 2000; // the last interval surely synced before the kill
        Map<Long, Double> points =
            prom.rangeUntil(
                    "crash_probe_total[10m]",
                    got ->
                        got.containsKey("crash_probe_total")
                            && got.get("crash_probe_total").keySet().stream()
                                .anyMatch(x -> x > killMillis + 1000), // the second run's own
                    30_000)
                .get("crash_probe_total");
        List<Long> times = new ArrayList<>(points.keySet());
        int gaps = 0;
        for (int i = 1; i < times.size(); i++) {
          long gap = times.get(i) - times.get(i - 1);
          assertThat(gap).isPositive();
          if (gap > 1500) {
            gaps++;
            assertThat(times.get(i - 1))
                .as("the only gap is the restart, after every interval synced before the kill")
                .isGreaterThanOrEqualTo(at);
          }
        }
        assertThat(gaps).isEqualTo(1);
        long probeCount = times.stream().filter(x -> x <= at).count();
        String window = "[10m] @ " + (at / 1000.0);
        Map<String, Double> counts =
            prom.queryUntil(
                "min(count_over_time(crash_load_total"
                    + window
                    + ")) or label_replace(max(count_over_time(crash_load_total"
                    + window
                    + ")), \"m\", \"max\", \"\", \"\")",
                got -> got.size() == 2);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isGreaterThan(0));
        assertThat(
                prom.queryUntil(
                        "count(count_over_time(crash_load_total" + window + "))",
                        got -> !got.isEmpty())
                    .values())
            .containsExactly((double) LOAD_SERIES);
        assertThat(counts.get("")).isEqualTo(counts.get("{m=\"max\"}"));
        assertThat(probeCount)
            .as(
                "probe samples before the kill, at ms relative to it: %s",
                times.stream().map(x -> x - killMillis).toList())
            .isGreaterThan(5);
        assertThat(prom.log()).doesNotContain("out of order");
      } finally {
        second.close();
      }
    } finally {
      vertx.cancelTimer(probeTimer);
      vertx.cancelTimer(loadTimer);
      udp.close();
    }
  }
}
