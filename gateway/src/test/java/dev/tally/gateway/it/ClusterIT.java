package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.google.protobuf.util.JsonFormat;
import dev.tally.gateway.cluster.ClusterForwarder;
import dev.tally.testing.Exposition;
import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway processes on 127.0.0.1 form a cluster (CONTRACT §10). Timers sent to different
 * nodes give the owner's global quantiles equal to those of one gateway fed every sample; each
 * series is on exactly one node's {@code /metrics}, and every node's series API shows its global
 * values. An OTLP cumulative counter whose exports go to each node in turn is read as one stream. A
 * node stopped mid-run: its series move to the others, which count them on, and what is lost is
 * counted and bounded.
 */
@ExtendWith(VertxExtension.class)
class ClusterIT {
  static final String LATENCY = "api_latency_seconds";

  private final List<GatewayProcess> nodes = new ArrayList<>();
  private final List<HttpProbe> probes = new ArrayList<>();
  private TestGateway single;

  @AfterEach
  void stop() throws Exception {
    for (GatewayProcess n : nodes) {
      n.close();
    }
    if (single != null) {
      single.close();
    }
  }

  @Test
  void threeNodesGiveExactGlobalQuantilesAndSurviveALeavingNode(Vertx vertx) throws Exception {
    int[] ports =
        startCluster(vertx, 3, n -> List.of("--tick", "200ms", "--window", "10m", "--shards", "1"));

    // timers and a counter, each sample sent to one node in turn and every one to a lone gateway
    single = TestGateway.start(vertx, "--window", "10m");
    Random random = new Random(11);
    int samples = 3000;
    try (DatagramSocket udp = new DatagramSocket()) {
      for (int i = 0; i < samples; i += 20) {
        StringBuilder lines = new StringBuilder();
        for (int j = i; j < i + 20; j++) {
          lines
              .append("api.latency:")
              .append(Math.round(100 * Math.exp(random.nextGaussian())))
              .append("|ms|#env:prod\napi.requests:1|c\n");
        }
        byte[] b = lines.toString().getBytes(StandardCharsets.UTF_8);
        send(udp, b, nodes.get((i / 20) % 3).statsdPort());
        single.send(lines.toString());
      }
    }
    String count = LATENCY + "_count{env=\"prod\"}";
    Exposition want =
        single
            .scrapeUntil(e -> e.value(count) == samples && hasQuantiles(e))
            .await(20, TimeUnit.SECONDS);
    int owner = -1;
    Exposition got = null;
    long deadline = System.currentTimeMillis() + 20_000;
    List<String> seen = new ArrayList<>();
    while (got == null && System.currentTimeMillis() < deadline) {
      seen.clear();
      for (int i = 0; i < 3; i++) {
        Exposition e = probes.get(i).scrape().await(10, TimeUnit.SECONDS);
        seen.add(
            e.value(count)
                + " "
                + e.value("tally_statsd_lines_accepted_total")
                + " "
                + e.value("tally_cluster_deltas_lost_total"));
        if (e.value(count) == samples && hasQuantiles(e)) {
          owner = i;
          got = e;
        }
      }
      vertx.timer(50, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS); // poll, do not spin
    }
    assertThat(got)
        .as("one node shows every sample of " + count + "; count, lines, lost by node: " + seen)
        .isNotNull();
    for (String q : new String[] {"0.5", "0.9", "0.95", "0.99", "0.999"}) {
      String line = LATENCY + "{env=\"prod\",quantile=\"" + q + "\"}";
      assertThat(got.value(line)).as(line).isEqualTo(want.value(line));
    }
    assertThat(got.value(LATENCY + "_sum{env=\"prod\"}"))
        .isCloseTo(want.value(LATENCY + "_sum{env=\"prod\"}"), offset(1e-6));
    for (int i = 0; i < 3; i++) {
      if (i != owner) {
        assertThat(probes.get(i).scrape().await(10, TimeUnit.SECONDS).text())
            .as("node %d shows no series it does not own", i)
            .doesNotContain(LATENCY);
      }
    }
    // the counter sent beside the timer: on exactly one node, every increment
    List<Double> requests = new ArrayList<>();
    for (long until = System.currentTimeMillis() + 20_000;
        System.currentTimeMillis() < until;
        vertx.timer(50, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS)) {
      requests.clear();
      for (HttpProbe p : probes) {
        double v = p.scrape().await(10, TimeUnit.SECONDS).value("api_requests_total");
        if (!Double.isNaN(v)) {
          requests.add(v);
        }
      }
      if (requests.equals(List.of((double) samples))) {
        break;
      }
    }
    assertThat(requests).as("api_requests_total on the nodes that show it").containsExactly(3000.0);
    // every node's series API (what its dashboard reads) shows the global values
    String history =
        "/api/series/"
            + java.net.URLEncoder.encode(LATENCY + "{env=\"prod\"}", StandardCharsets.UTF_8)
            + "?window=1m";
    double p99 = want.value(LATENCY + "{env=\"prod\",quantile=\"0.99\"}");
    for (int i = 0; i < 3; i++) {
      JsonObject last =
          lastPoint(
              probes
                  .get(i)
                  .getUntil(
                      history,
                      r ->
                          r.status == 200
                              && !r.json().getJsonArray("points").isEmpty()
                              && lastPoint(r.json()).getDouble("count") == samples)
                  .await(20, TimeUnit.SECONDS)
                  .json());
      assertThat(last.getDouble("p99")).as("p99 on node %d", i).isCloseTo(p99, offset(1e-9));
      assertThat(
              probes
                  .get(i)
                  .get("/api/series?match=api_latency*")
                  .await(10, TimeUnit.SECONDS)
                  .json()
                  .getInteger("total"))
          .as("the series list of node %d", i)
          .isEqualTo(1);
    }

    // one SDK's cumulative OTLP counter, its exports load-balanced over the three nodes in turn:
    // the owner reads the points as one stream, so its total is the last value sent, not the sum
    // of each node's first value and increases
    double[] cumulative = {5, 8, 12, 20, 21, 30};
    for (int k = 0; k < cumulative.length; k++) {
      Metric sum =
          Metric.newBuilder()
              .setName("jobs.done")
              .setSum(
                  Sum.newBuilder()
                      .setIsMonotonic(true)
                      .setAggregationTemporality(
                          AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                      .addDataPoints(
                          NumberDataPoint.newBuilder()
                              .setStartTimeUnixNano(1_000_000_000L)
                              .setTimeUnixNano((k + 2) * 1_000_000_000L)
                              .setAsDouble(cumulative[k])))
              .build();
      String json = JsonFormat.printer().print(OtlpRequests.request(sum));
      HttpProbe otlp = HttpProbe.of(vertx, nodes.get(k % 3).otlpHttpPort());
      try {
        assertThat(
                otlp.request(io.vertx.core.http.HttpMethod.POST, "/v1/metrics", json)
                    .await(10, TimeUnit.SECONDS)
                    .status)
            .isEqualTo(200);
      } finally {
        otlp.close().await(10, TimeUnit.SECONDS);
      }
    }
    for (int i = 0; i < 3; i++) {
      JsonObject listed =
          probes
              .get(i)
              .getUntil("/api/series?match=jobs_done*", r -> r.json().getInteger("total") == 1)
              .await(20, TimeUnit.SECONDS)
              .json();
      String key = listed.getJsonArray("series").getJsonObject(0).getString("key");
      String path = "/api/series/" + java.net.URLEncoder.encode(key, StandardCharsets.UTF_8);
      probes
          .get(i)
          .getUntil(
              path,
              r ->
                  !r.json().getJsonArray("points").isEmpty()
                      && lastPoint(r.json()).getDouble("value") == 30)
          .await(20, TimeUnit.SECONDS);
    }
    int shownBy = 0;
    for (int i = 0; i < 3; i++) {
      Exposition e = probes.get(i).scrape().await(10, TimeUnit.SECONDS);
      List<Double> values =
          e.samples().entrySet().stream()
              .filter(x -> x.getKey().startsWith("jobs_done_total"))
              .map(java.util.Map.Entry::getValue)
              .toList();
      if (!values.isEmpty()) {
        shownBy++;
        assertThat(values).containsExactly(30.0);
      }
    }
    assertThat(shownBy).as("nodes whose /metrics show the OTLP counter").isEqualTo(1);

    // 30 counters sent to node 0 every 50 ms; node 2 stops while they flow
    String[] series = new String[30];
    for (int k = 0; k < series.length; k++) {
      series[k] = "moving.c" + k;
    }
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger target0 = new AtomicInteger(Integer.MAX_VALUE);
    io.vertx.core.Promise<Void> reached = io.vertx.core.Promise.promise();
    StringBuilder all = new StringBuilder();
    for (String s : series) {
      all.append(s).append(":1|c\n");
    }
    byte[] batch = all.toString().getBytes(StandardCharsets.UTF_8);
    DatagramSocket udp = new DatagramSocket();
    int target = nodes.get(0).statsdPort();
    long timer =
        vertx.setPeriodic(
            50,
            id -> {
              sendQuietly(udp, batch, target);
              if (sent.incrementAndGet() >= target0.get()) {
                reached.tryComplete();
              }
            });
    try {
      probes
          .get(2)
          .scrapeUntil(e -> e.samples().keySet().stream().anyMatch(k -> k.startsWith("moving_c")))
          .await(20, TimeUnit.SECONDS);
      double lostBefore =
          probes
                  .get(0)
                  .scrape()
                  .await(10, TimeUnit.SECONDS)
                  .value("tally_cluster_deltas_lost_total")
              + probes
                  .get(1)
                  .scrape()
                  .await(10, TimeUnit.SECONDS)
                  .value("tally_cluster_deltas_lost_total");
      nodes.get(2).close(); // SIGTERM: a graceful stop while the traffic flows
      for (int i = 0; i < 2; i++) { // both nodes left see the change
        probes
            .get(i)
            .getUntil("/api/cluster", r -> r.json().getJsonArray("members").size() == 2)
            .await(30, TimeUnit.SECONDS);
      }
      int atChange = sent.get();
      long changedAt = System.currentTimeMillis();
      // two more seconds of traffic to the two nodes left
      target0.set(atChange + 40);
      reached.future().await(30, TimeUnit.SECONDS);
      vertx.cancelTimer(timer);
      int total = sent.get();
      // each series on exactly one node of the two, the moved ones counted from the change on;
      // a send that failed is counted when its acknowledgement times out: wait that out
      long wait = changedAt + ClusterForwarder.ACK_MILLIS + 500 - System.currentTimeMillis();
      if (wait > 0) {
        vertx.timer(wait, TimeUnit.MILLISECONDS).await(10, TimeUnit.SECONDS);
      }
      Exposition e0 = probes.get(0).scrape().await(10, TimeUnit.SECONDS);
      Exposition e1 = probes.get(1).scrape().await(10, TimeUnit.SECONDS);
      int seriesPerTick = 4; // 200 ms ticks, a datagram every 50 ms
      double lost =
          e0.value("tally_cluster_deltas_lost_total") + e1.value("tally_cluster_deltas_lost_total");
      for (String s : series) {
        String name = s.replace('.', '_') + "_total";
        double v0 = value(e0, s);
        double v1 = value(e1, s);
        assertThat(Double.isNaN(v0) ^ Double.isNaN(v1))
            .as(
                name
                    + " on exactly one node: "
                    + v0
                    + " "
                    + v1
                    + ", sent "
                    + total
                    + ", at the change "
                    + atChange)
            .isTrue();
        double v = Double.isNaN(v0) ? v1 : v0;
        assertThat(v).as(name).isLessThanOrEqualTo(total);
        // what was sent after the change reached the new owner, less at most a tick or two
        assertThat(v).as(name).isGreaterThanOrEqualTo(total - atChange - seriesPerTick);
      }
      // node 2 says it leaves before it stops taking deltas: at most what was on its way to it,
      // one tick of the series it owned, is lost (none was in three runs)
      assertThat(lost - lostBefore)
          .as("deltas lost while node 2 left (lost before: " + lostBefore + ")")
          .isLessThanOrEqualTo(series.length);
      assertThat(e0.value("tally_cluster_members")).isEqualTo(2);

      // node 1 freezes (it answers nothing, as a hung or crashed machine) while the counters flow
      // to node 0: what node 0 sends it is not acknowledged and is counted lost until the cluster
      // drops the silent member; then its series move to node 0, which counts them on
      long flowing = vertx.setPeriodic(50, id -> sendQuietly(udp, batch, target));
      try {
        double lostBeforeFreeze =
            probes
                .get(0)
                .scrape()
                .await(10, TimeUnit.SECONDS)
                .value("tally_cluster_deltas_lost_total");
        long frozeAt = System.currentTimeMillis();
        nodes.get(1).freeze();
        probes
            .get(0)
            .getUntil("/api/cluster", r -> r.json().getJsonArray("members").size() == 1, 60_000)
            .await(70, TimeUnit.SECONDS);
        long silentMillis = System.currentTimeMillis() - frozeAt;
        nodes.get(1).kill();
        long settled = System.currentTimeMillis() + ClusterForwarder.ACK_MILLIS + 500;
        Exposition after =
            probes
                .get(0)
                .scrapeUntil(
                    e ->
                        System.currentTimeMillis() > settled && series0(e, series) == series.length)
                .await(20, TimeUnit.SECONDS);
        double lostFrozen = after.value("tally_cluster_deltas_lost_total") - lostBeforeFreeze;
        // node 1 owned some of the 30 series: each tick's delta of each was lost while it was
        // silent, no more (one delta per series per 200 ms tick, and the 2 s acknowledgement wait)
        assertThat(lostFrozen)
            .as("deltas lost while node 1 was silent for " + silentMillis + " ms")
            .isPositive()
            .isLessThanOrEqualTo(
                series.length * ((silentMillis + ClusterForwarder.ACK_MILLIS) / 200.0 + 2));
        System.out.printf(
            "ClusterIT: node 1 silent %d ms before it left the ring; %.0f deltas lost%n",
            silentMillis, lostFrozen);
        // every series, node 1's moved ones included, counts on at node 0
        Exposition later =
            probes
                .get(0)
                .scrapeUntil(
                    e -> {
                      for (String s : series) {
                        if (!(value(e, s) > value(after, s))) {
                          return false;
                        }
                      }
                      return true;
                    })
                .await(20, TimeUnit.SECONDS);
        assertThat(later.value("tally_cluster_members")).isEqualTo(1);
      } finally {
        vertx.cancelTimer(flowing);
      }
    } finally {
      vertx.cancelTimer(timer);
      udp.close();
    }
  }

  /** A moving counter's total on a node's {@code /metrics}; NaN if the node does not show it. */
  /**
   * Starts {@code size} clustered nodes at once (node {@code n} with {@code flags.apply(n)}), into
   * {@link #nodes} and {@link #probes}, and waits until every node lists every member; returns
   * their cluster ports.
   */
  private int[] startCluster(Vertx vertx, int size, IntFunction<List<String>> flags)
      throws Exception {
    int[] ports = new int[size];
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports[i] = TestGateway.freePort();
      addresses.add("127.0.0.1:" + ports[i]);
    }
    String members = String.join(",", addresses);
    List<Thread> starting = new ArrayList<>();
    GatewayProcess[] started = new GatewayProcess[size];
    Throwable[] failed = new Throwable[1];
    for (int i = 0; i < size; i++) {
      int n = i;
      List<String> args = new ArrayList<>(flags.apply(n));
      args.addAll(
          List.of(
              "--cluster",
              "--cluster-port",
              Integer.toString(ports[n]),
              "--cluster-members",
              members));
      Thread t =
          new Thread(
              () -> {
                try {
                  started[n] = GatewayProcess.run(List.of("-Xmx192m"), args.toArray(new String[0]));
                } catch (Exception | AssertionError e) { // a node that did not start is killed
                  failed[0] = e;
                }
              });
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) {
      t.join((GatewayProcess.START_SECONDS + 10) * 1000L);
    }
    for (GatewayProcess p : started) {
      if (p != null) {
        nodes.add(p);
      }
    }
    assertThat(failed[0]).isNull();
    assertThat(nodes).hasSize(size);
    for (GatewayProcess n : nodes) {
      probes.add(HttpProbe.of(vertx, n.httpPort()));
    }
    for (HttpProbe p : probes) {
      // every member is listed by its cluster address once its node information is shared
      JsonObject view =
          p.getUntil(
                  "/api/cluster",
                  r -> r.json().getJsonArray("members").getList().containsAll(addresses),
                  55_000) // nodes that formed clusters of one merge after 10 s
              .await(60, TimeUnit.SECONDS)
              .json();
      assertThat(view.getBoolean("clustered")).isTrue();
      assertThat(view.getJsonArray("members").getList())
          .containsExactlyInAnyOrderElementsOf(addresses);
    }
    return ports;
  }

  @Test
  void twoNodesExportingToOnePrometheusSendEachSeriesOnce(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("prom"));
    try (PrometheusServer prom = PrometheusServer.start(vertx, dir.resolve("prom"))) {
      startCluster(
          vertx,
          2,
          n ->
              List.of(
                  "--tick",
                  "200ms",
                  "--shards",
                  "1",
                  "--export-remote-write",
                  prom.writeUrl(),
                  "--export-interval",
                  "1s",
                  "--data-dir",
                  dir.resolve("data-" + n).toString()));
      int series = 200;
      try (DatagramSocket udp = new DatagramSocket()) {
        for (int node = 0; node < 2; node++) {
          StringBuilder lines = new StringBuilder();
          for (int i = 0; i < series; i++) {
            // each series gets 1 on the first node and 2 on the second: 3 once merged
            lines
                .append("exported.series:")
                .append(node + 1)
                .append("|c|#n:")
                .append(i)
                .append('\n');
            if (i % 20 == 19) {
              send(
                  udp,
                  lines.toString().getBytes(StandardCharsets.UTF_8),
                  nodes.get(node).statsdPort());
              lines.setLength(0);
            }
          }
        }
      }
      Map<String, Double> got =
          prom.queryUntil(
              "count(exported_series_total) or label_replace(min(exported_series_total), \"m\", \"min\", \"\", \"\")"
                  + " or label_replace(max(exported_series_total), \"m\", \"max\", \"\", \"\")",
              m ->
                  m.getOrDefault("", 0d) == series
                      && m.getOrDefault("{m=\"min\"}", 0d) == 3
                      && m.getOrDefault("{m=\"max\"}", 0d) == 3);
      assertThat(got).containsEntry("", (double) series);
      for (HttpProbe p : probes) {
        Exposition e = p.scrape().await(10, TimeUnit.SECONDS);
        double rejected =
            e.samples().entrySet().stream()
                .filter(
                    x ->
                        x.getKey().startsWith("tally_export_dropped_total")
                            && x.getKey().contains("rejected"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        assertThat(rejected).as("refused samples (a series sent twice would be)").isZero();
        double nodeSent =
            e.samples().entrySet().stream()
                .filter(x -> x.getKey().startsWith("tally_export_sent_total"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        assertThat(nodeSent).as("each node sends the series it owns").isPositive();
      }
      assertThat(prom.log()).doesNotContain("duplicate sample").doesNotContain("out of order");
    }
  }

  /**
   * With a mapping file on every node, a mapped series gathered by one node and shown by its owner
   * keeps its name as written (the owner does not add {@code _total}).
   */
  @Test
  void aMappedSeriesKeepsItsNameOnItsOwner(Vertx vertx, @TempDir Path dir) throws Exception {
    Path mapping = dir.resolve("mapping.yml");
    Files.writeString(
        mapping, "mappings:\n- match: svc.*.hits\n  name: svc_hits\n  labels: {id: $1}\n");
    startCluster(
        vertx,
        2,
        n ->
            List.of(
                "--tick",
                "200ms",
                "--shards",
                "1",
                "--statsd-mapping-config",
                mapping.toString(),
                "--data-dir",
                dir.resolve("data-" + n).toString()));
    int series = 100;
    try (DatagramSocket udp = new DatagramSocket()) {
      // all to the first node: the series the second owns reach it only as deltas
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < series; i++) {
        lines.append("svc.").append(i).append(".hits:3|c\n");
        if (i % 20 == 19) {
          send(udp, lines.toString().getBytes(StandardCharsets.UTF_8), nodes.get(0).statsdPort());
          lines.setLength(0);
        }
      }
    }
    java.util.Map<String, Double> shown = new java.util.TreeMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      shown.clear();
      for (HttpProbe p : probes) {
        shown.putAll(p.scrape().await(10, TimeUnit.SECONDS).startingWith("svc_hits"));
      }
      if (shown.size() == series && shown.values().stream().allMatch(v -> v == 3)) {
        break;
      }
      probes.get(0).scrape().await(10, TimeUnit.SECONDS); // a bounded poll: one scrape a round
    }
    assertThat(shown).hasSize(series).allSatisfy((k, v) -> assertThat(v).isEqualTo(3));
    assertThat(shown.keySet()).allMatch(k -> k.startsWith("svc_hits{id="));
  }

  private static double value(Exposition e, String series) {
    return e.value(series.replace('.', '_') + "_total");
  }

  /** How many of the moving series a node shows. */
  private static int series0(Exposition e, String[] series) {
    int n = 0;
    for (String s : series) {
      if (!Double.isNaN(value(e, s))) {
        n++;
      }
    }
    return n;
  }

  private static void sendQuietly(DatagramSocket udp, byte[] b, int port) {
    try {
      send(udp, b, port);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonObject lastPoint(JsonObject history) {
    io.vertx.core.json.JsonArray points = history.getJsonArray("points");
    return points.getJsonObject(points.size() - 1);
  }

  private static boolean hasQuantiles(Exposition e) {
    return !Double.isNaN(e.value(LATENCY + "{env=\"prod\",quantile=\"0.999\"}"));
  }

  private static void send(DatagramSocket udp, byte[] b, int port) throws IOException {
    udp.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
  }
}
