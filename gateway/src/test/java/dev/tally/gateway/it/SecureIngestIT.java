package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.gateway.security.Tls;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.RecordingExporter;
import dev.tally.testing.TestCerts;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporterBuilder;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP over TLS (OpenSSL, ALPN h2 for gRPC) with bearer tokens and client certificates, sent by the
 * OpenTelemetry Java SDK's exporters, which trust a test CA.
 */
@ExtendWith(io.vertx.junit5.VertxExtension.class)
class SecureIngestIT {
  static final String TOKEN = "s3cret-token";

  @TempDir static Path dir;
  static TestCerts certs;
  static Path server;
  static Path client;

  @BeforeAll
  static void certificates() throws Exception {
    certs = TestCerts.ca(dir, "Tally test CA");
    server = certs.server("server");
    client = certs.client("client", "sdk-client");
  }

  /** The flags of TLS with the test server certificate, then {@code more}. */
  static String[] tls(String... more) {
    String[] base = {
      "--tls-cert", server.toString(), "--tls-key", TestCerts.keyOf(server).toString()
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  /** A client that trusts the test CA (and presents {@code cert} if not null). */
  static HttpClientOptions trusting(Path cert) {
    HttpClientOptions o =
        new HttpClientOptions()
            .setSsl(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(certs.caPem().toString()));
    if (cert != null) {
      o.setKeyCertOptions(
          new PemKeyCertOptions()
              .setCertPath(cert.toString())
              .setKeyPath(TestCerts.keyOf(cert).toString()));
    }
    return o;
  }

  /**
   * One export by the SDK of a counter {@code secure.exports} with {@code transport} as attribute
   * to the gateway over https, with the token and client certificate if not null; true if the
   * export succeeded.
   */
  static boolean sdkExport(TestGateway g, OtelSdk.Transport transport, String token, Path cert)
      throws Exception {
    byte[] ca = Files.readAllBytes(certs.caPem());
    MetricExporter exporter;
    if (transport == OtelSdk.Transport.GRPC) {
      OtlpGrpcMetricExporterBuilder b =
          OtlpGrpcMetricExporter.builder()
              .setEndpoint("https://localhost:" + g.gateway().otlpGrpcPort())
              .setCompression("gzip")
              .setTrustedCertificates(ca);
      if (token != null) {
        b.addHeader("Authorization", "Bearer " + token);
      }
      if (cert != null) {
        b.setClientTls(Files.readAllBytes(TestCerts.keyOf(cert)), Files.readAllBytes(cert));
      }
      exporter = b.build();
    } else {
      OtlpHttpMetricExporterBuilder b =
          OtlpHttpMetricExporter.builder()
              .setEndpoint("https://localhost:" + g.gateway().otlpHttpPort() + "/v1/metrics")
              .setCompression("gzip")
              .setTrustedCertificates(ca);
      if (token != null) {
        b.addHeader("Authorization", "Bearer " + token);
      }
      if (cert != null) {
        b.setClientTls(Files.readAllBytes(TestCerts.keyOf(cert)), Files.readAllBytes(cert));
      }
      exporter = b.build();
    }
    RecordingExporter recording = new RecordingExporter(exporter);
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .setResource(OtelSdk.RESOURCE)
            .registerMetricReader(
                PeriodicMetricReader.builder(recording).setInterval(Duration.ofHours(1)).build())
            .build()) {
      provider
          .get("secure-test")
          .counterBuilder("secure.exports")
          .build()
          .add(
              1,
              Attributes.of(AttributeKey.stringKey("transport"), transport.name().toLowerCase()));
      provider.forceFlush().join(20, TimeUnit.SECONDS);
      return recording.lastSucceeded();
    }
  }

  @Test
  void sdkExportsOverTlsWithTheTokenAndIsRefusedWithout(Vertx vertx) throws Exception {
    try (TestGateway g =
        TestGateway.start(vertx, trusting(null), tls("--auth-tokens", "other," + TOKEN))) {
      for (OtelSdk.Transport t : OtelSdk.Transport.values()) {
        assertThat(sdkExport(g, t, TOKEN, null)).as(t + " with the token").isTrue();
        assertThat(sdkExport(g, t, null, null)).as(t + " without a token").isFalse();
        assertThat(sdkExport(g, t, "wrong", null)).as(t + " with a wrong token").isFalse();
      }
      g.scrapeUntil(
              e ->
                  e.sum("secure_exports_total", "transport", "grpc") == 1
                      && e.sum("secure_exports_total", "transport", "http_protobuf") == 1)
          .await(20, TimeUnit.SECONDS);

      // the exact answers without a token: 401 with a challenge, gRPC UNAUTHENTICATED (each of
      // the two refused SDK exports per transport above is tried at the flush and again when the
      // provider closes, never retried: 4, and this one: 5 each)
      HttpClient https = vertx.createHttpClient(trusting(null).setDefaultHost("localhost"));
      HttpClientResponse http =
          https
              .request(HttpMethod.POST, g.gateway().otlpHttpPort(), "localhost", "/v1/metrics")
              .compose(
                  req ->
                      req.putHeader("content-type", "application/x-protobuf").send(Buffer.buffer()))
              .await(20, TimeUnit.SECONDS);
      assertThat(http.statusCode()).isEqualTo(401);
      assertThat(http.getHeader("www-authenticate")).startsWith("Bearer");
      assertThat(http.version()).isEqualTo(HttpVersion.HTTP_1_1);

      GrpcClient grpc =
          GrpcClient.client(
              vertx, trusting(null).setUseAlpn(true).setProtocolVersion(HttpVersion.HTTP_2));
      GrpcStatus status =
          grpc.request(SocketAddress.inetSocketAddress(g.gateway().otlpGrpcPort(), "localhost"))
              .compose(
                  req -> {
                    req.fullMethodName(
                        "opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
                    // chained here, on the event loop: from the test's thread the answer could
                    // pass before the chain is in place
                    return req.send(Buffer.buffer())
                        .compose(
                            resp ->
                                resp.end().transform(ar -> Future.succeededFuture(resp.status())));
                  })
              .await(20, TimeUnit.SECONDS);
      assertThat(status).isEqualTo(GrpcStatus.UNAUTHENTICATED);
      g.scrapeUntil(
              e ->
                  e.sum(
                              "tally_otlp_requests_rejected_total",
                              "transport",
                              "grpc",
                              "reason",
                              "unauthenticated")
                          == 5
                      && e.sum(
                              "tally_otlp_requests_rejected_total",
                              "transport",
                              "http",
                              "reason",
                              "unauthenticated")
                          == 5)
          .await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void withClientCertificatesRequiredAClientWithoutOneFails(Vertx vertx) throws Exception {
    try (TestGateway g =
        TestGateway.start(
            vertx, trusting(client), tls("--tls-client-ca", certs.caPem().toString()))) {
      for (OtelSdk.Transport t : OtelSdk.Transport.values()) {
        assertThat(sdkExport(g, t, null, client)).as(t + " with a client certificate").isTrue();
        assertThat(sdkExport(g, t, null, null)).as(t + " without a client certificate").isFalse();
      }
      // the scrape itself presents the client certificate; a client without one is refused in the
      // handshake
      g.scrapeUntil(
              e ->
                  e.sum("secure_exports_total", "transport", "grpc") == 1
                      && e.sum("secure_exports_total", "transport", "http_protobuf") == 1)
          .await(20, TimeUnit.SECONDS);
      HttpClient anonymous = vertx.createHttpClient(trusting(null));
      assertThatThrownBy(
              () ->
                  anonymous
                      .request(HttpMethod.GET, g.gateway().httpPort(), "localhost", "/metrics")
                      .compose(req -> req.send())
                      .await(20, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(javax.net.ssl.SSLHandshakeException.class)
          .hasStackTraceContaining("certificate_required");
    }
  }

  @Test
  void newCertificateFilesAreServedWithoutARestart(Vertx vertx) throws Exception {
    Path cert = certs.server("rotating");
    try (TestGateway g =
        TestGateway.start(
            vertx,
            trusting(null),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            TestCerts.keyOf(cert).toString())) {
      g.watchConfig();
      HttpClient fresh = vertx.createHttpClient(trusting(null).setKeepAlive(false));
      BigInteger before = serial(fresh, g.gateway().httpPort());
      certs.server("rotating"); // a new key and certificate in the same files
      long deadline = System.currentTimeMillis() + 20_000;
      while (serial(fresh, g.gateway().httpPort()).equals(before)) {
        assertThat(System.currentTimeMillis()).as("new certificate served").isLessThan(deadline);
      }
      g.scrapeUntil(e -> e.value("tally_config_reloads_total{result=\"applied\"}") >= 1)
          .await(20, TimeUnit.SECONDS);
    }
  }

  /** The serial number of the certificate a new connection to {@code port} is shown. */
  private static BigInteger serial(HttpClient client, int port) throws Exception {
    return client
        .request(HttpMethod.GET, port, "localhost", "/health/live")
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> serial(req))))
        .await(20, TimeUnit.SECONDS);
  }

  private static BigInteger serial(io.vertx.core.http.HttpClientRequest req) {
    try {
      return ((X509Certificate) req.connection().peerCertificates().get(0)).getSerialNumber();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theOpenSslEngineIsAvailable() {
    assertThat(Tls.openSslAvailable()).isTrue();
  }
}
