package dev.tally.gateway.attack;

import static dev.tally.gateway.attack.LiveFeedAttackIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.GatewayProcess;
import dev.tally.testing.HttpProbe;
import dev.tally.testing.OtlpRequests;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Attack D3: gRPC framing a client gets wrong is answered, never left hanging. */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class MalformedGrpcIT {
  @Test
  void aMessageFlaggedCompressedWithoutAnEncodingIsAnsweredInternal(Vertx vertx) throws Exception {
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      HttpClient h2 = SlowClientsAttackIT.h2c(vertx);
      byte[] message = OtlpRequests.request(OtlpRequests.gauge("g", 1)).toByteArray();
      Buffer frame = Buffer.buffer().appendByte((byte) 1).appendInt(message.length);
      frame.appendBytes(message);
      HttpClientResponse resp =
          await(
              h2.request(SlowClientsAttackIT.export(g.otlpGrpcPort()))
                  .compose(req -> req.send(frame)));
      // a trailers-only answer: the status is in the one HEADERS frame
      assertThat(resp.getHeader("grpc-status")).isEqualTo("13");
      assertThat(resp.getHeader("grpc-message")).contains("without a grpc-encoding");
      HttpProbe probe = HttpProbe.of(vertx, g.httpPort());
      await(
          probe.scrapeUntil(
              x ->
                  x.value(
                          "tally_otlp_requests_rejected_total{transport=\"grpc\",reason=\"undecodable\"}")
                      == 1));
    }
  }
}
