package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.Exposition;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.OtelTelemetry;
import dev.tally.testing.TestCerts;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OTLP out, over OTLP/HTTP and OTLP/gRPC, into a second Tally: its {@code /metrics}, {@code
 * /api/traces} and {@code /api/logs} show what the first received (StatsD counters and a timer, an
 * OTLP histogram, an error trace the first kept, log records).
 */
@ExtendWith(VertxExtension.class)
class OtlpExportIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"http", "grpc"})
  void aSecondTallyShowsWhatTheFirstReceived(String transport, Vertx vertx) throws Exception {
    Vertx receiverVertx = Vertx.vertx();
    try (TestGateway receiver = TestGateway.start(receiverVertx)) {
      String url =
          transport.equals("http")
              ? "http://127.0.0.1:" + receiver.gateway().otlpHttpPort()
              : "grpc://127.0.0.1:" + receiver.gateway().otlpGrpcPort();
      try (TestGateway sender =
          TestGateway.start(
              vertx,
              "--export-otlp",
              url,
              "--export-interval",
              "1s",
              "--data-dir",
              dir.toString(),
              "--traces-sample-ratio",
              "0")) {
        sender.send("ox.requests:5|c|#route:/a\nox.requests:2|c|#route:/b\nox.temp:21.5|g");
        sender.send("ox.latency:10|ms\nox.latency:20|ms\nox.latency:30|ms\nox.latency:400|ms");
        OtelSdk.exportHistogram(sender.gateway(), "ox");
        String traceId;
        try (OtelTelemetry otel =
            new OtelTelemetry(sender.gateway(), OtelSdk.Transport.HTTP_PROTOBUF)) {
          Tracer tracer = otel.tracer("shop");
          Span root = tracer.spanBuilder("GET /cart").setSpanKind(SpanKind.SERVER).startSpan();
          try (Scope s = root.makeCurrent()) {
            Span child =
                tracer
                    .spanBuilder("SELECT cart")
                    .setParent(Context.current())
                    .setAttribute("db.rows", 3L)
                    .setAttribute("db.system", "postgresql")
                    .startSpan();
            child.addEvent("retry", Attributes.of(AttributeKey.booleanKey("last"), true));
            child.setStatus(StatusCode.ERROR, "deadlock");
            child.end();
            otel.logger("shop")
                .logRecordBuilder()
                .setSeverity(Severity.WARN)
                .setBody("cart locked")
                .setAttribute(AttributeKey.longKey("attempt"), 2L)
                .emit();
          }
          root.end();
          otel.logger("shop")
              .logRecordBuilder()
              .setSeverity(Severity.INFO)
              .setBody("cart shown")
              .emit();
          otel.flush();
          traceId = root.getSpanContext().getTraceId();
        }

        Exposition sent =
            sender
                .scrapeUntil(
                    p ->
                        p.value("ox_latency_seconds_count") == 4
                            && p.startingWith("ox_duration").size() == 6)
                .await(20, TimeUnit.SECONDS);
        Map<String, Double> expected = sent.startingWith("ox_");
        assertThat(expected).hasSize(2 + 1 + 7 + 6);
        Exposition got =
            receiver
                .scrapeUntil(p -> p.startingWith("ox_").equals(expected))
                .await(30, TimeUnit.SECONDS);
        assertThat(got.startingWith("ox_")).isEqualTo(expected);

        JsonObject trace = sender.get("/api/traces/" + traceId).await(20, TimeUnit.SECONDS).json();
        JsonObject arrived =
            receiver
                .getUntil("/api/traces/" + traceId, r -> r.status == 200)
                .await(30, TimeUnit.SECONDS)
                .json();
        assertThat(arrived).isEqualTo(trace);
        assertThat(trace.getJsonArray("spans").size()).isEqualTo(2);

        JsonObject logs =
            sender.get("/api/logs?service=checkout").await(20, TimeUnit.SECONDS).json();
        assertThat(logs.getJsonArray("logs").size()).isEqualTo(2);
        JsonObject logsArrived =
            receiver
                .getUntil(
                    "/api/logs?service=checkout", r -> r.json().getJsonArray("logs").size() == 2)
                .await(30, TimeUnit.SECONDS)
                .json();
        assertThat(logsArrived.getJsonArray("logs")).isEqualTo(logs.getJsonArray("logs"));

        Exposition self = sender.scrape().await(20, TimeUnit.SECONDS);
        String t = "target=\"127.0.0.1_" + url.substring(url.lastIndexOf(':') + 1) + "\"";
        assertThat(self.value("tally_export_sent_total{signal=\"spans\"," + t + "}")).isEqualTo(2);
        assertThat(self.value("tally_export_sent_total{signal=\"logs\"," + t + "}")).isEqualTo(2);
        assertThat(self.value("tally_export_sent_total{signal=\"samples\"," + t + "}"))
            .isPositive();
      }
    } finally {
      receiverVertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * A target behind TLS with client certificates and a bearer token (a Tally with {@code
   * --tls-client-ca} and {@code --auth-tokens}), over each transport, with the target's keys in the
   * configuration file: without them the receiver refuses the exporter.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"https", "grpcs"})
  void aTargetBehindMutualTlsAndATokenGetsItsData(String scheme, Vertx vertx) throws Exception {
    TestCerts certs = TestCerts.ca(dir, "Tally test CA");
    Path server = certs.server("server");
    Path client = certs.client("client", "exporter");
    Vertx receiverVertx = Vertx.vertx();
    HttpClientOptions scraper =
        new HttpClientOptions()
            .setSsl(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(certs.caPem().toString()))
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(client.toString())
                    .setKeyPath(TestCerts.keyOf(client).toString()));
    try (TestGateway receiver =
        TestGateway.start(
            receiverVertx,
            scraper,
            "--tls-cert",
            server.toString(),
            "--tls-key",
            TestCerts.keyOf(server).toString(),
            "--tls-client-ca",
            certs.caPem().toString(),
            "--auth-tokens",
            "s3cret")) {
      int port =
          scheme.equals("https")
              ? receiver.gateway().otlpHttpPort()
              : receiver.gateway().otlpGrpcPort();
      String tls =
          "    tls-ca: "
              + certs.caPem()
              + "\n    tls-cert: "
              + client
              + "\n    tls-key: "
              + TestCerts.keyOf(client)
              + "\n    signals: [metrics]\n";
      String url = "  - url: " + scheme + "://127.0.0.1:" + port + "\n";
      Path config = dir.resolve("tally.yaml");
      Files.writeString(
          config,
          "export-otlp:\n"
              + url
              + "    name: secure\n    bearer-token: s3cret\n    match: ['sec_*']\n"
              + "    compression: none\n"
              + tls
              + url
              + "    name: no-token\n"
              + tls);
      try (TestGateway sender =
          TestGateway.start(
              vertx,
              "--config",
              config.toString(),
              "--export-interval",
              "1s",
              "--data-dir",
              dir.resolve("data").toString())) {
        sender.send("sec.logins:3|c|#via:" + scheme + "\nother.thing:1|c");
        Exposition got =
            receiver
                .scrapeUntil(p -> p.value("sec_logins_total{via=\"" + scheme + "\"}") == 3)
                .await(30, TimeUnit.SECONDS);
        assertThat(got.text()).doesNotContain("other_thing"); // not matched
        Exposition self =
            sender
                .scrapeUntil(
                    p ->
                        p.value(
                                "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\",target=\"no-token\"}")
                            > 0)
                .await(20, TimeUnit.SECONDS);
        assertThat(
                self.value(
                    "tally_export_dropped_total{reason=\"rejected\",signal=\"samples\",target=\"secure\"}"))
            .isZero();
        assertThat(self.value("tally_export_sent_total{signal=\"samples\",target=\"no-token\"}"))
            .isZero();
      }
    } finally {
      receiverVertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
