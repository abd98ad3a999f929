package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.testing.TestGateway;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The runnable jar as a user starts it: exit codes, the start-up line, SIGTERM. */
class GatewayProcessIT {
  private static final Path JAR = Path.of("target", "tally.jar");
  private static final Pattern LISTENING =
      Pattern.compile(
          "tally listening http=(\\d+) statsd=(\\d+) otlp-grpc=(\\d+) otlp-http=(\\d+)");

  private static Process start(Map<String, String> env, String... args) throws IOException {
    assertThat(JAR).as("the packaged jar").exists();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("TALLY_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true); // the log (JUL) goes to stderr
    return pb.start();
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
    Process p =
        start(Map.of("TALLY_BIND", "127.0.0.1"), TestGateway.FREE_PORTS.toArray(new String[0]));
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      for (String l; (l = out.readLine()) != null; ) {
                        if (LISTENING.matcher(l).find()) {
                          return l;
                        }
                      }
                      return null;
                    } catch (IOException e) {
                      return null;
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      assertThat(line).as("start-up line").isNotNull();
      Matcher m = LISTENING.matcher(line);
      assertThat(m.find()).isTrue();
      int http = Integer.parseInt(m.group(1));
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/health/ready"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      // OTLP/HTTP JSON works from the shaded jar (protobuf, protobuf-java-util, vertx-grpc inside)
      HttpResponse<String> export =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + m.group(4) + "/v1/metrics"))
                      .header("content-type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString("{\"resourceMetrics\":[]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(export.body()).isEqualTo("{}");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
      assertThat(p.exitValue()).isZero();
    } finally {
      p.destroyForcibly();
    }
  }
}
