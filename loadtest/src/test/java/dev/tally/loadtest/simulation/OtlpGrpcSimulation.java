package dev.tally.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.tally.loadtest.otlp.OtlpPayloads;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * OTLP/gRPC {@code MetricsService/Export} calls as gRPC-Web over Gatling's HTTP DSL: Gatling's gRPC
 * plugin is not open source (and does not resolve here), while the Vert.x gRPC server answers
 * gRPC-Web on the same port as HTTP/2 gRPC. Each call must end with {@code grpc-status} 0 and an
 * export response without {@code partial_success}.
 *
 * <p>How it differs from what exporters do: gRPC-Web runs over HTTP/1.1 (one call per connection at
 * a time, no HTTP/2 multiplexing or flow control) and carries the status in a trailer frame in the
 * body; the server's decoding, mapping and aggregation are the same. For HTTP/2 gRPC load use the
 * native driver, {@code dev.tally.loadtest.grpc.OtlpGrpcDriver}.
 *
 * <pre>
 * mvn -pl loadtest gatling:test -Dgatling.simulationClass=dev.tally.loadtest.simulation.OtlpGrpcSimulation
 * </pre>
 */
public class OtlpGrpcSimulation extends Simulation {
  static final String EXPORT = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";

  HttpProtocolBuilder protocol = http.baseUrl(Target.otlpGrpc()).shareConnections();

  ScenarioBuilder exporters =
      scenario("OTLP/gRPC-Web exporters")
          .during(Target.duration())
          .on(
              http("Export")
                  .post(EXPORT)
                  .header("content-type", "application/grpc-web+proto")
                  .header("x-grpc-web", "1")
                  .body(
                      ByteArrayBody(
                          session ->
                              GrpcWeb.frame(
                                  OtlpPayloads.request(
                                          OtlpHttpSimulation.nextTimeNanos(),
                                          "g" + session.userId())
                                      .toByteArray())))
                  .check(
                      status().is(200),
                      header("content-type")
                          .transform(t -> t.startsWith("application/grpc-web"))
                          .is(true),
                      bodyBytes().transform(GrpcWeb::status).is(0),
                      bodyBytes()
                          .transform(b -> OtlpHttpSimulation.hasPartialSuccess(GrpcWeb.message(b)))
                          .is(false)));

  {
    setUp(exporters.injectOpen(atOnceUsers(Target.users())))
        .protocols(protocol)
        .assertions(
            global().failedRequests().percent().lt(0.1),
            global().responseTime().percentile(99.0).lt(Integer.getInteger("p99ms", 500)));
  }
}
