package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.GatewayProcess;
import dev.tally.testing.TestCerts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as a user starts it: exit codes, the start-up line, SIGTERM. */
@org.junit.jupiter.api.extension.ExtendWith(io.vertx.junit5.VertxExtension.class)
class GatewayProcessIT {
  private static Process start(Map<String, String> env, String... args) throws IOException {
    return GatewayProcess.start(List.of("-Xmx256m"), env, args);
  }

  private static String read(java.io.InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void badConfigurationExitsTwoNamingEveryBadKey() throws Exception {
    Path file = Files.createTempFile("tally", ".yaml");
    Files.writeString(file, "window: forever\nunknown-key: 1\n");
    Process p =
        start(
            Map.of("TALLY_SHARDS", "0"),
            "--config",
            file.toString(),
            "--http-port",
            "abc",
            "--tick",
            "soon",
            "--nope",
            "1");
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String err = read(p.getInputStream());
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err)
        .contains(
            "http-port: 'abc' (from --http-port)",
            "tick: 'soon' (from --tick)",
            "--nope: unknown option",
            "shards: '0' (from TALLY_SHARDS)",
            "window: 'forever' (from " + file,
            "unknown-key: unknown key in " + file);
  }

  @Test
  void portsHeldByAnotherGatewayStopTheStartNamingEachOption() throws Exception {
    try (GatewayProcess first = GatewayProcess.run(List.of("-Xmx256m"))) {
      // the StatsD sockets use SO_REUSEPORT: without the check, a second gateway of the same user
      // would bind beside the first and take half of its datagrams
      Process second =
          start(
              Map.of(),
              "--bind",
              "127.0.0.1",
              "--statsd-port",
              String.valueOf(first.statsdPort()),
              "--http-port",
              String.valueOf(first.httpPort()),
              "--otlp-grpc-port",
              "0",
              "--otlp-http-port",
              "0");
      assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
      String out = read(second.getInputStream());
      assertThat(second.exitValue()).isEqualTo(1);
      assertThat(out)
          .contains(
              "tally: could not start: http-port 127.0.0.1:"
                  + first.httpPort()
                  + "/tcp: Address already in use",
              "statsd-port 127.0.0.1:" + first.statsdPort() + "/udp: Address already in use")
          .doesNotContain("statsd warm-up") // refused before the warm-up's seconds
          .doesNotContain("\tat ");
      assertThat(get(first.httpPort(), "/health/ready", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void checkConfigAnswersByExitCode() throws Exception {
    Path good = Files.createTempFile("tally", ".yaml");
    Files.writeString(good, "tick: 2s\n");
    Path bad = Files.createTempFile("tally", ".yaml");
    Files.writeString(bad, "tick: soon\nunknown-key: 1\n");
    Process ok = start(Map.of("TALLY_TICK", "never"), "check-config", good.toString());
    Process refused = start(Map.of(), "check-config", bad.toString());
    assertThat(ok.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(ok.exitValue()).as("the file alone is checked, not the environment").isZero();
    assertThat(refused.exitValue()).isEqualTo(2);
    assertThat(read(refused.getInputStream()))
        .contains("tick: 'soon'", "unknown-key: unknown key in " + bad);
  }

  @Test
  void helpAndVersionExitZero() throws Exception {
    Process help = start(Map.of(), "--help");
    Process version = start(Map.of(), "--version");
    assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(read(help.getInputStream())).contains("--statsd-port <port>", "--tick <duration>");
    assertThat(version.exitValue()).isZero();
    assertThat(read(version.getInputStream())).matches("tally \\d+\\.\\d+\\.\\d+.*\\s*");
  }

  @Test
  void sigtermStopsGracefullyWithExitZeroWithinTenSeconds() throws Exception {
    try (GatewayProcess g = GatewayProcess.run(List.of("-Xmx256m"))) {
      Process p = g.process();
      assertThat(get(g.httpPort(), "/health/ready", null).statusCode()).isEqualTo(200);
      // OTLP/HTTP JSON works from the shaded jar (protobuf, protobuf-java-util, vertx-grpc inside)
      HttpResponse<String> export =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + g.otlpHttpPort() + "/v1/metrics"))
                      .header("content-type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"resourceMetrics\":[]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(export.body()).isEqualTo("{}");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
      assertThat(p.exitValue()).isZero();
      // a clean start and stop log nothing above INFO
      assertThat(g.output()).doesNotContain("WARNING", "SEVERE", "Exception");
    }
  }

  @Test
  void theJarUsesOpenSslForTls(@TempDir Path dir, io.vertx.core.Vertx vertx) throws Exception {
    TestCerts certs = TestCerts.ca(dir, "Tally test CA");
    Path cert = certs.server("server");
    try (GatewayProcess g =
        GatewayProcess.run(
            List.of("-Xmx256m"),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            TestCerts.keyOf(cert).toString())) {
      assertThat(g.output()).contains("tls: OpenSSL engine (netty-tcnative BoringSSL)");
      // and it serves: an HTTPS client trusting the test CA gets an answer
      io.vertx.core.http.HttpClient https =
          vertx.createHttpClient(
              new io.vertx.core.http.HttpClientOptions()
                  .setSsl(true)
                  .setTrustOptions(
                      new io.vertx.core.net.PemTrustOptions()
                          .addCertPath(certs.caPem().toString())));
      int status =
          https
              .request(io.vertx.core.http.HttpMethod.GET, g.httpPort(), "localhost", "/health/live")
              .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
              .await(20, TimeUnit.SECONDS);
      assertThat(status).isEqualTo(200);
    }
  }

  @Test
  void sighupReloadsTheConfiguration(@TempDir Path dir, io.vertx.core.Vertx vertx)
      throws Exception {
    // a gateway started from a process that ignores SIGHUP (a build run under nohup) inherits
    // that, and the JVM then installs no handler for it: nothing to test there
    sun.misc.SignalHandler previous =
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_DFL);
    if (previous != sun.misc.SignalHandler.SIG_IGN) {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), previous);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        previous != sun.misc.SignalHandler.SIG_IGN, "SIGHUP is ignored where the tests run");
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "aaaa\n");
    try (GatewayProcess g =
        GatewayProcess.run(List.of("-Xmx256m"), "--auth-token-file", tokens.toString())) {
      assertThat(get(g.httpPort(), "/api/series", "aaaa").statusCode()).isEqualTo(200);
      // a new token of the same size with the old modification time: only SIGHUP shows it
      FileTime before = Files.getLastModifiedTime(tokens);
      Files.writeString(tokens, "bbbb\n");
      Files.setLastModifiedTime(tokens, before);
      Process kill =
          new ProcessBuilder("kill", "-HUP", Long.toString(g.process().pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      // waits on the reload's own count (open to all), not on the new token: each try of a token
      // not yet loaded is a failed attempt, and on a busy machine enough of them before the
      // reload got this address the 429 of too many failures, for good
      // (at least once: had the watcher looked between the write and the time set back, it saw
      // the file change twice and reloads too)
      try {
        dev.tally.testing.HttpProbe.of(vertx, g.httpPort())
            .scrapeUntil(x -> x.value("tally_config_reloads_total{result=\"applied\"}") >= 1)
            .await(60, TimeUnit.SECONDS);
      } catch (Exception | AssertionError e) {
        throw new AssertionError(e.getMessage() + "\ngateway output:\n" + g.output(), e);
      }
      assertThat(get(g.httpPort(), "/api/series", "bbbb").statusCode()).isEqualTo(200);
      assertThat(get(g.httpPort(), "/api/series", "aaaa").statusCode()).isEqualTo(401);
    }
  }

  private static HttpResponse<String> get(int port, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
