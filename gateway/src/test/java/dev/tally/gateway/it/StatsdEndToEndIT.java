package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import com.timgroup.statsd.NonBlockingStatsDClientBuilder;
import com.timgroup.statsd.StatsDClient;
import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** StatsD in through a real UDP socket, Prometheus text out through a real HTTP client. */
@ExtendWith(VertxExtension.class)
class StatsdEndToEndIT {
  private TestGateway tally;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx, "--tick", "500ms");
  }

  @AfterEach
  void stop() throws Exception {
    tally.close();
  }

  @Test
  void sampleRateScalesCounterAndTagsBecomeLabels(Vertx vertx, VertxTestContext ctx) {
    tally.send("api.requests:1|c|@0.1|#env:prod,region:eu\napi.requests:2|c|#region:eu,env:prod");
    tally.send("api.requests:1|c|#env:dev");
    tally
        .scrapeUntil(
            m ->
                m.has("api_requests_total{env=\"dev\"}")
                    && m.value("api_requests_total{env=\"prod\",region=\"eu\"}") == 12.0)
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value("api_requests_total{env=\"prod\",region=\"eu\"}"))
                              .isEqualTo(12.0);
                          assertThat(m.value("api_requests_total{env=\"dev\"}")).isEqualTo(1.0);
                          assertThat(m.text()).contains("# TYPE api_requests_total counter\n");
                          ctx.completeNow();
                        })));
  }

  @Test
  void gaugeTakesValuesAndSignedAdjustments(Vertx vertx, VertxTestContext ctx) {
    tally.send("queue.depth:10|g\nqueue.depth:+5|g\nqueue.depth:-3|g\nother:-3|g");
    tally
        .scrapeUntil(m -> m.has("queue_depth") && m.has("other"))
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value("queue_depth")).isEqualTo(12.0);
                          assertThat(m.value("other")).isEqualTo(-3.0);
                          assertThat(m.text()).contains("# TYPE queue_depth gauge\n");
                          ctx.completeNow();
                        })));
  }

  @Test
  void timerQuantilesOfAKnownDistributionAreWithinOnePercent(Vertx vertx, VertxTestContext ctx) {
    StringBuilder packet = new StringBuilder();
    for (int ms = 1; ms <= 1000; ms++) {
      packet.append("checkout.latency:").append(ms).append("|ms|#env:prod\n");
      if (ms % 20 == 0) {
        tally.send(packet.toString());
        packet.setLength(0);
      }
    }
    String series = "checkout_latency_seconds";
    tally
        .scrapeUntil(m -> m.value(series + "_count{env=\"prod\"}") == 1000)
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value(series + "{env=\"prod\",quantile=\"0.5\"}"))
                              .isCloseTo(0.5, withPercentage(1));
                          assertThat(m.value(series + "{env=\"prod\",quantile=\"0.99\"}"))
                              .isCloseTo(0.99, withPercentage(1));
                          assertThat(m.value(series + "_sum{env=\"prod\"}"))
                              .isCloseTo(500.5, withPercentage(0.0001));
                          assertThat(m.text())
                              .contains("# TYPE checkout_latency_seconds summary\n");
                          ctx.completeNow();
                        })));
  }

  @Test
  void histogramAndDistributionAreUnitlessSummaries(Vertx vertx, VertxTestContext ctx) {
    tally.send("payload.size:100|h\npayload.size:300|d");
    tally
        .scrapeUntil(m -> m.value("payload_size_count") == 2)
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value("payload_size_sum")).isEqualTo(400.0);
                          assertThat(m.value("payload_size{quantile=\"0.999\"}"))
                              .isCloseTo(300, withPercentage(1));
                          ctx.completeNow();
                        })));
  }

  @Test
  void setCountsDistinctMembersOfTheLastTick(Vertx vertx, VertxTestContext ctx) throws Exception {
    tally.close(); // a set's count shows for one tick: a long tick leaves time to scrape it
    tally = TestGateway.start(vertx, "--tick", "3s");
    tally.send("visitors:alice|s\nvisitors:bob|s\nvisitors:alice|s\nvisitors:carol|s|#page:home");
    tally
        .scrapeUntil(m -> m.value("visitors") == 2 && m.value("visitors{page=\"home\"}") == 1)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void dogStatsdClientLibraryIsUnderstood(Vertx vertx, VertxTestContext ctx) {
    StatsDClient client =
        new NonBlockingStatsDClientBuilder()
            .prefix("shop")
            .hostname("127.0.0.1")
            .port(tally.gateway().statsdPort())
            .constantTags("env:test")
            .enableTelemetry(false)
            .originDetectionEnabled(false)
            .build();
    for (int i = 0; i < 10; i++) {
      client.incrementCounter("orders", "country:fr");
    }
    client.gauge("cart.size", 7, "country:fr");
    client.recordExecutionTime("payment.time", 250);
    client.recordSetValue("buyers", "u1");
    client.recordEvent(
        com.timgroup.statsd.Event.builder().withTitle("deploy").withText("v1").build());
    client.serviceCheck(
        com.timgroup.statsd.ServiceCheck.builder()
            .withName("db")
            .withStatus(com.timgroup.statsd.ServiceCheck.Status.OK)
            .build());
    // the client sends from its own thread (and aggregates counters for up to 2 s): poll, then stop
    // it
    tally
        .scrapeUntil(
            m ->
                m.value("shop_orders_total{country=\"fr\",env=\"test\"}") == 10
                    && m.value("shop_payment_time_seconds_count{env=\"test\"}") == 1
                    && m.value("tally_statsd_events_total{type=\"service_check\"}") == 1
                    && m.has("shop_cart_size{country=\"fr\",env=\"test\"}"))
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value("shop_cart_size{country=\"fr\",env=\"test\"}"))
                              .isEqualTo(7.0);
                          assertThat(m.value("shop_payment_time_seconds_sum{env=\"test\"}"))
                              .isEqualTo(0.25);
                          assertThat(m.value("tally_statsd_events_total{type=\"event\"}"))
                              .isEqualTo(1.0);
                          assertThat(m.samples().entrySet())
                              .filteredOn(
                                  e -> e.getKey().startsWith("tally_statsd_lines_rejected_total"))
                              .allSatisfy(e -> assertThat(e.getValue()).isZero());
                          ctx.completeNow();
                        })))
        .onComplete(ar -> client.stop());
  }

  @Test
  void badLinesAreCountedByReasonShownInTheDebugApiAndGoodLinesBesideThemKept(
      Vertx vertx, VertxTestContext ctx) {
    tally.send("good.one:1|c\nno_value_here\nx:abc|c\ngood.two:2|g\nx:1|q\n_e{9,1}:short|x");
    tally
        .scrapeUntil(m -> m.value("good_two") == 2 && m.has("good_one_total"))
        .compose(
            m ->
                tally
                    .get("/api/debug/rejected")
                    .map(
                        r -> {
                          ctx.verify(
                              () -> {
                                assertThat(m.value("good_one_total")).isEqualTo(1.0);
                                assertThat(m.value("tally_statsd_lines_accepted_total"))
                                    .isEqualTo(2.0);
                                assertThat(
                                        m.value(
                                            "tally_statsd_lines_rejected_total{reason=\"no_value\"}"))
                                    .isEqualTo(1.0);
                                assertThat(
                                        m.value(
                                            "tally_statsd_lines_rejected_total{reason=\"bad_value\"}"))
                                    .isEqualTo(1.0);
                                assertThat(
                                        m.value(
                                            "tally_statsd_lines_rejected_total{reason=\"bad_type\"}"))
                                    .isEqualTo(1.0);
                                assertThat(
                                        m.value(
                                            "tally_statsd_lines_rejected_total{reason=\"bad_event\"}"))
                                    .isEqualTo(1.0);
                                assertThat(r.status).isEqualTo(200);
                                assertThat(r.json().getJsonArray("rejected"))
                                    .extracting(
                                        o ->
                                            ((JsonObject) o).getString("reason")
                                                + " "
                                                + ((JsonObject) o).getString("line"))
                                    .containsExactly(
                                        "no_value no_value_here",
                                        "bad_value x:abc|c",
                                        "bad_type x:1|q",
                                        "bad_event _e{9,1}:short|x");
                              });
                          return r;
                        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void overLongDatagramKeepsItsWholeLinesAndRejectsTheCutEnd(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    tally.close();
    tally = TestGateway.start(vertx, "--statsd-max-packet-size", "64");
    tally.send("first:1|c\nsecond:1|c\n" + "x".repeat(100) + ":1|c\n");
    tally
        .scrapeUntil(
            m -> m.value("tally_statsd_lines_rejected_total{reason=\"packet_too_long\"}") == 1)
        .onComplete(
            ctx.succeeding(
                m ->
                    ctx.verify(
                        () -> {
                          assertThat(m.value("tally_statsd_lines_accepted_total")).isEqualTo(2.0);
                          ctx.completeNow();
                        })));
  }

  @Test
  void healthEndpointsAnswerPerContract(Vertx vertx, VertxTestContext ctx) {
    tally
        .get("/health/live")
        .compose(
            live ->
                tally
                    .get("/health/ready")
                    .map(
                        ready -> {
                          ctx.verify(
                              () -> {
                                assertThat(live.status).isEqualTo(200);
                                assertThat(live.json().getString("status")).isEqualTo("UP");
                                assertThat(ready.status).isEqualTo(200);
                              });
                          return ready;
                        }))
        .compose(
            v -> pollHealthy(vertx, System.currentTimeMillis() + TestGateway.POLL_TIMEOUT_MILLIS))
        .onComplete(
            ctx.succeeding(
                health ->
                    ctx.verify(
                        () -> {
                          assertThat(health.getString("status")).isEqualTo("UP");
                          assertThat(health.getJsonArray("checks"))
                              .extracting(o -> ((JsonObject) o).getString("name"))
                              .containsExactly(
                                  "listeners",
                                  "aggregation",
                                  "event_bus",
                                  "dropped_samples",
                                  "memory");
                          ctx.completeNow();
                        })));
  }

  /** /health is 503 until every shard has ticked once; polls until it is 200. */
  private io.vertx.core.Future<JsonObject> pollHealthy(Vertx vertx, long deadline) {
    return tally
        .get("/health")
        .compose(
            r -> {
              if (r.status == 200 || System.currentTimeMillis() > deadline) {
                return io.vertx.core.Future.succeededFuture(r.json());
              }
              io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
              vertx.setTimer(50, id -> later.complete());
              return later.future().compose(v -> pollHealthy(vertx, deadline));
            });
  }

  @Test
  void exposedTextIsPromtoolClean(Vertx vertx, VertxTestContext ctx) throws Exception {
    tally.send(
        "c.one:1|c|#quote:say \"hi\",path:C:\\dir\nc.one:1|c\ng.two:5|g|#canary\nt.three:12|ms\n"
            + "d.four:1.5|d|c:abc123\ns.five:m|s\n9lives:1|c\nsame:1|g\nsame:1|s");
    Exposition m =
        tally
            // every series, whatever its shard, has reached /metrics (the two "same" may be apart)
            .scrapeUntil(
                e ->
                    e.has("_9lives_total")
                        && e.value("tally_series_type_conflicts") == 1
                        && e.text().contains("\nc_one_total{")
                        && e.text().contains("\nd_four{"))
            .await(20, TimeUnit.SECONDS);
    Promtool.assertClean(m.text());
    ctx.verify(() -> assertThat(m.value("tally_series_type_conflicts")).isEqualTo(1.0));
    ctx.completeNow();
  }
}
