package dev.tally.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A soak: for {@code -Dduration} seconds (600 for the benchmark) series come and go on both
 * protocols while {@code -Dviewers} (50) live clients watch, and the gateway's live heap is sampled
 * every 10 s. OTLP exporters arrive at {@code -Dexporters.rate} a second (1) and each exports for
 * 60 s under a name of its own ({@code service.instance.id}), so their series expire behind them;
 * StatsD sends {@code -Dstatsd.rate} datagrams a second (200) whose series names change every
 * minute. The samples ({@code tally_memory_live_estimate_bytes}, the heap guard's estimate, and the
 * least of each minute) go to {@code target/soak-heap.csv}; at the end the least-squares slope of
 * the per-minute minima is printed, in MiB per hour. The guard's estimate lags the live heap's
 * growth until G1's next marking, so the leak measure of record is {@code
 * loadtest/bench/live-heap.sh}, run beside, which reads the heap after a full collection once a
 * minute. Assertion: fewer than 0.1 % failed requests. A leak shows as a slope well above zero once
 * the run is longer than {@code series-ttl}; the numbers are recorded in {@code
 * docs/BENCHMARKS.md}.
 *
 * <pre>
 * java -Xmx512m -jar gateway/target/tally.jar --series-ttl 2m &amp;
 * loadtest/bench/live-heap.sh $! 10 &amp;
 * mvn -pl loadtest gatling:test -Dgatling.simulationClass=dev.tally.loadtest.simulation.SoakSimulation -Dduration=600
 * </pre>
 */
public class SoakSimulation extends Simulation {
  static final int VIEWERS = Integer.getInteger("viewers", 50);
  static final double EXPORTERS_RATE =
      Double.parseDouble(System.getProperty("exporters.rate", "1"));
  static final int STATSD_RATE = Integer.getInteger("statsd.rate", 200);
  static final Path CSV = Path.of("target", "soak-heap.csv");

  private final long start = System.currentTimeMillis();
  private final List<long[]> samples = new ArrayList<>(); // {seconds since start, bytes}

  HttpProtocolBuilder ingest = Target.otlpHttpProtocol();
  HttpProtocolBuilder dashboard = Target.dashboardProtocol();

  /** Exporters that each export once a second for a minute, as SDKs do (more often). */
  ScenarioBuilder exporters =
      scenario("OTLP/HTTP exporters")
          .during(Math.min(60, Target.duration()))
          .on(
              http("export")
                  .post("/v1/metrics")
                  .header("content-type", "application/x-protobuf")
                  .body(ByteArrayBody(session -> OtlpHttpSimulation.body(session, false)))
                  .check(status().is(200)),
              pause(1));

  ScenarioBuilder statsd =
      scenario("StatsD churn")
          .during(Target.duration())
          .on(
              exec(
                  session -> {
                    send();
                    return session;
                  }),
              pause(java.time.Duration.ofMillis(5)));

  ScenarioBuilder sampler =
      scenario("live heap")
          .during(Target.duration())
          .on(
              http("scrape /metrics")
                  .get("/metrics")
                  .check(
                      regex("\ntally_memory_live_estimate_bytes (\\S+)").saveAs("live"),
                      regex("\ntally_series_active (\\S+)").saveAs("series")),
              exec(
                  session -> {
                    record((long) Double.parseDouble(session.getString("live")));
                    return session;
                  }),
              pause(10));

  {
    int seconds = Target.duration();
    setUp(
            exporters
                .injectOpen(constantUsersPerSec(EXPORTERS_RATE).during(seconds))
                .protocols(ingest),
            statsd.injectOpen(atOnceUsers(1)),
            LiveViewersSimulation.sseViewers(seconds)
                .injectOpen(atOnceUsers(VIEWERS / 2))
                .protocols(dashboard),
            LiveViewersSimulation.wsViewers(seconds)
                .injectOpen(atOnceUsers(VIEWERS - VIEWERS / 2))
                .protocols(dashboard),
            sampler.injectOpen(atOnceUsers(1)).protocols(dashboard))
        .assertions(global().failedRequests().percent().lt(0.1));
  }

  private DatagramSocket udp;
  private long sent;

  /** About {@link #STATSD_RATE} datagrams a second, 5 ms apart; names change every minute. */
  private void send() {
    try {
      if (udp == null) {
        udp = new DatagramSocket();
      }
      long minute = (System.currentTimeMillis() - start) / 60_000;
      int perTurn = Math.max(1, STATSD_RATE / 200);
      for (int i = 0; i < perTurn; i++) {
        long n = sent++;
        String line =
            "soak.m"
                + minute
                + ".c"
                + (n % 500)
                + ":1|c|#turn:"
                + (n % 7)
                + "\nsoak.lat"
                + (n % 50)
                + ":"
                + (n % 900)
                + "|ms";
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        udp.send(
            new DatagramPacket(
                b, b.length, InetAddress.getByName(Target.HOST), Target.STATSD_PORT));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private synchronized void record(long bytes) {
    samples.add(new long[] {(System.currentTimeMillis() - start) / 1000, bytes});
  }

  @Override
  public void after() {
    StringBuilder csv = new StringBuilder("seconds,live_estimate_bytes\n");
    java.util.TreeMap<Long, Long> minima = new java.util.TreeMap<>();
    synchronized (this) {
      for (long[] s : samples) {
        csv.append(s[0]).append(',').append(s[1]).append('\n');
        minima.merge(s[0] / 60, s[1], Math::min);
      }
    }
    try {
      Files.createDirectories(CSV.getParent());
      Files.writeString(CSV, csv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // least squares over the per-minute minima, leaving out the first minute (warm-up)
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (var e : minima.entrySet()) {
      if (e.getKey() == 0) {
        continue;
      }
      double x = e.getKey() / 60.0; // hours
      double y = e.getValue() / (double) (1 << 20); // MiB
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    String slope =
        n < 2
            ? "n/a (too short)"
            : String.format("%.1f MiB/h", (n * sxy - sx * sy) / (n * sxx - sx * sx));
    System.out.println(
        "soak: live heap per-minute minima (MiB) "
            + minima.values().stream().map(v -> String.valueOf(v >> 20)).toList()
            + "; slope after the first minute "
            + slope
            + "; samples in "
            + CSV.toAbsolutePath());
  }
}
