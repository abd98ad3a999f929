package dev.tally.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.tally.loadtest.otlp.OtlpPayloads;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * OTLP/HTTP exports ({@code POST /v1/metrics}) as SDK exporters send them: protobuf and JSON, gzip,
 * realistic requests ({@link OtlpPayloads}); each answer must be 200 with an empty {@code
 * partial_success}. {@code -Dusers} exporters loop for {@code -Dduration} seconds, each sending its
 * two requests every {@code -Dinterval} milliseconds (100; 0: as fast as the gateway answers, which
 * finds its limit: beyond it, {@code 503} with {@code Retry-After}, counted as failures here);
 * assertions: fewer than 0.1 % failed requests, p99 under {@code -Dp99ms} (default 500).
 *
 * <pre>
 * mvn -pl loadtest gatling:test -Dgatling.simulationClass=dev.tally.loadtest.simulation.OtlpHttpSimulation
 * </pre>
 */
public class OtlpHttpSimulation extends Simulation {
  HttpProtocolBuilder protocol = Target.otlpHttpProtocol();

  ScenarioBuilder exporters = exporters(Target.duration());

  /**
   * Exporters that post both encodings in turn for {@code seconds}; each virtual user is an
   * exporter of its own ({@code service.instance.id} {@code u<user>-<resource>}) and each request
   * is built anew with a later time, as an SDK's periodic export is, so that no cumulative point is
   * a repeat.
   */
  static ScenarioBuilder exporters(int seconds) {
    return scenario("OTLP/HTTP exporters")
        .during(seconds)
        .on(
            pace(Duration.ofMillis(Target.exportIntervalMillis()))
                .exec(
                    http("export protobuf")
                        .post("/v1/metrics")
                        .header("content-type", "application/x-protobuf")
                        .body(ByteArrayBody(session -> body(session, false)))
                        .check(
                            status().is(200),
                            bodyBytes().transform(OtlpHttpSimulation::hasPartialSuccess).is(false)),
                    http("export json")
                        .post("/v1/metrics")
                        .header("content-type", "application/json")
                        .body(ByteArrayBody(session -> body(session, true)))
                        .check(
                            status().is(200), bodyBytes().transform(b -> new String(b)).is("{}"))));
  }

  private static final AtomicLong CLOCK = new AtomicLong();

  /** A later time than any before, in epoch nanoseconds. */
  static long nextTimeNanos() {
    long now = System.currentTimeMillis() * 1_000_000;
    return CLOCK.updateAndGet(last -> Math.max(now, last + 1));
  }

  /** The gzip body of a new request from this user's exporter, protobuf or JSON. */
  static byte[] body(Session session, boolean json) {
    ExportMetricsServiceRequest req = OtlpPayloads.request(nextTimeNanos(), "u" + session.userId());
    return OtlpPayloads.gzip(json ? OtlpPayloads.json(req) : req.toByteArray());
  }

  /** True if an export response reports rejected points (or is not a response at all). */
  static boolean hasPartialSuccess(byte[] body) {
    try {
      return ExportMetricsServiceResponse.parseFrom(body).hasPartialSuccess();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return true;
    }
  }

  {
    setUp(exporters.injectOpen(atOnceUsers(Target.users())))
        .protocols(protocol)
        .assertions(
            global().failedRequests().percent().lt(0.1),
            global().responseTime().percentile(99.0).lt(Integer.getInteger("p99ms", 500)));
  }
}
