package dev.tally.gateway.it;

import static dev.tally.testing.OtlpRequests.badHistogram;
import static dev.tally.testing.OtlpRequests.gauge;
import static dev.tally.testing.OtlpRequests.gzip;
import static dev.tally.testing.OtlpRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import dev.tally.testing.Exposition;
import dev.tally.testing.OtlpClient;
import dev.tally.testing.OtlpClient.GrpcResult;
import dev.tally.testing.OtlpClient.HttpResult;
import dev.tally.testing.TestGateway;
import dev.tally.verticles.bus.ShardRouter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One test per row of CONTRACT §4, on the wire: the gRPC status or HTTP code, and the {@code
 * partial_success} or {@code google.rpc.Status} decoded from the real response.
 */
@ExtendWith(VertxExtension.class)
class OtlpErrorsIT {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  private TestGateway tally;
  private OtlpClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx, "--shards", "1", "--max-request-size", "1KiB");
    client = new OtlpClient(tally.gateway());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    tally.close();
  }

  @Test
  void allPointsAcceptedGivesOkAndAnEmptyPartialSuccess() throws Exception {
    ExportMetricsServiceRequest req = request(gauge("a", 1));
    GrpcResult grpc = client.grpc(req.toByteArray(), "identity");
    assertThat(grpc.status).isEqualTo(GrpcStatus.OK);
    assertThat(ExportMetricsServiceResponse.parseFrom(grpc.body.getBytes()).hasPartialSuccess())
        .isFalse();

    HttpResult http = client.http(req.toByteArray(), PROTOBUF, null);
    assertThat(http.status).isEqualTo(200);
    assertThat(http.contentType).isEqualTo(PROTOBUF);
    assertThat(ExportMetricsServiceResponse.parseFrom(http.body).hasPartialSuccess()).isFalse();

    HttpResult json = client.http(json(req), JSON, null);
    assertThat(json.status).isEqualTo(200);
    assertThat(json.contentType).isEqualTo(JSON);
    assertThat(new String(json.body, StandardCharsets.UTF_8)).isEqualTo("{}");

    Exposition m = scrapeUntil("a{job=\"svc\"}", 1);
    assertThat(m.value("tally_otlp_points_accepted_total{transport=\"http\"}")).isEqualTo(2);
    assertThat(m.value("tally_otlp_points_accepted_total{transport=\"grpc\"}")).isEqualTo(1);
  }

  @Test
  void somePointsRejectedGivesPartialSuccessAndKeepsTheGoodOnes() throws Exception {
    ExportMetricsServiceRequest req = request(gauge("good", 1), badHistogram("bad"), gauge("", 2));
    GrpcResult grpc = client.grpc(req.toByteArray(), "identity");
    assertThat(grpc.status).isEqualTo(GrpcStatus.OK);
    assertPartial(ExportMetricsServiceResponse.parseFrom(grpc.body.getBytes()));

    HttpResult http = client.http(req.toByteArray(), PROTOBUF, null);
    assertThat(http.status).isEqualTo(200);
    assertPartial(ExportMetricsServiceResponse.parseFrom(http.body));

    HttpResult json = client.http(json(req), JSON, null);
    assertThat(json.status).isEqualTo(200);
    ExportMetricsServiceResponse.Builder fromJson = ExportMetricsServiceResponse.newBuilder();
    JsonFormat.parser().merge(new String(json.body, StandardCharsets.UTF_8), fromJson);
    assertPartial(fromJson.build());

    Exposition m = scrapeUntil("good{job=\"svc\"}", 1);
    assertThat(
            m.value("tally_otlp_points_rejected_total{transport=\"http\",reason=\"bad_buckets\"}"))
        .isEqualTo(2);
    assertThat(
            m.value("tally_otlp_points_rejected_total{transport=\"grpc\",reason=\"bad_buckets\"}"))
        .isEqualTo(1);
    assertThat(
            m.value("tally_otlp_points_rejected_total{transport=\"grpc\",reason=\"missing_name\"}"))
        .isEqualTo(1);
    assertThat(m.value("tally_otlp_points_accepted_total{transport=\"http\"}")).isEqualTo(2);
  }

  private static void assertPartial(ExportMetricsServiceResponse response) {
    assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .contains("metric \"bad\": 2 bucket counts for 2 bounds (expected 3)")
        .contains("metric without a name");
  }

  @Test
  void undecodableBodyGivesInvalidArgumentAnd400() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThat(client.grpc(garbage, "identity").status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);

    HttpResult http = client.http(garbage, PROTOBUF, null);
    assertThat(http.status).isEqualTo(400);
    assertThat(Status.parseFrom(http.body).getMessage()).contains("cannot decode");

    HttpResult json =
        client.http("{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8), JSON, null);
    assertThat(json.status).isEqualTo(400);
    assertThat(json.contentType).isEqualTo(JSON);

    HttpResult notGzip = client.http(request(gauge("a", 1)).toByteArray(), PROTOBUF, "gzip");
    assertThat(notGzip.status).isEqualTo(400);
    assertThat(Status.parseFrom(notGzip.body).getMessage()).contains("gzip");

    Exposition m =
        scrapeUntil(
            "tally_otlp_requests_rejected_total{transport=\"http\",reason=\"undecodable\"}", 3);
    assertThat(
            m.value(
                "tally_otlp_requests_rejected_total{transport=\"grpc\",reason=\"undecodable\"}"))
        .isEqualTo(1);
  }

  @Test
  void wrongContentTypeGives415() throws Exception {
    HttpResult http = client.http(request(gauge("a", 1)).toByteArray(), "text/plain", null);
    assertThat(http.status).isEqualTo(415);
    assertThat(Status.parseFrom(http.body).getMessage()).contains("application/x-protobuf");
    HttpResult brotli = client.http(request(gauge("a", 1)).toByteArray(), PROTOBUF, "br");
    assertThat(brotli.status).isEqualTo(415);
  }

  @Test
  void bodyOverTheLimitGivesResourceExhaustedAnd413() throws Exception {
    byte[] big = request(gauge("x".repeat(2000), 1)).toByteArray();
    byte[] inflatesBig = request(gauge("y".repeat(100_000), 1)).toByteArray();
    byte[] bomb = gzip(inflatesBig);
    assertThat(bomb.length).isLessThan(1024); // small on the wire, 100 kB inflated

    assertThat(client.grpc(big, "identity").status).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    // the gRPC client gzips the message itself
    assertThat(client.grpc(inflatesBig, "gzip").status).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
    assertThat(client.http(big, PROTOBUF, null).status).isEqualTo(413);
    HttpResult inflated = client.http(bomb, PROTOBUF, "gzip");
    assertThat(inflated.status).isEqualTo(413);
    assertThat(Status.parseFrom(inflated.body).getMessage()).contains("over the limit");
  }

  @Test
  void overloadGivesUnavailableAnd503WithRetryAfterAndLosesNothingOnRetry() throws Exception {
    ShardRouter router = tally.gateway().router();
    int taken = 0;
    while (router.tryReserve(0)) { // fill the shard's queue, as a stalled shard would
      taken++;
    }
    assertThat(taken).isEqualTo(router.maxPending());
    byte[] req = request(gauge("late", 7)).toByteArray();

    assertThat(client.grpc(req, "identity").status).isEqualTo(GrpcStatus.UNAVAILABLE);
    HttpResult http = client.http(req, PROTOBUF, null);
    assertThat(http.status).isEqualTo(503);
    assertThat(http.retryAfter).isEqualTo("1");

    for (int i = 0; i < taken; i++) {
      router.release(0);
    }
    assertThat(client.grpc(req, "identity").status).isEqualTo(GrpcStatus.OK);
    Exposition m = scrapeUntil("late{job=\"svc\"}", 7);
    // refused before decoding (the queues were full), so no point of them was counted
    assertThat(
            m.value("tally_otlp_requests_rejected_total{transport=\"grpc\",reason=\"overloaded\"}"))
        .isEqualTo(1);
    assertThat(
            m.value("tally_otlp_points_rejected_total{transport=\"grpc\",reason=\"overloaded\"}"))
        .isZero();
    assertThat(
            m.value("tally_otlp_requests_rejected_total{transport=\"http\",reason=\"overloaded\"}"))
        .isEqualTo(1);
    assertThat(m.value("tally_otlp_points_accepted_total{transport=\"grpc\"}")).isEqualTo(1);
  }

  private Exposition scrapeUntil(String sample, double value) throws Exception {
    return tally.scrapeUntil(e -> e.value(sample) == value).await(20, TimeUnit.SECONDS);
  }

  private static byte[] json(ExportMetricsServiceRequest req) throws Exception {
    return JsonFormat.printer().print(req).getBytes(StandardCharsets.UTF_8);
  }
}
