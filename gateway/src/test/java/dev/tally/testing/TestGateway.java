package dev.tally.testing;

import dev.tally.gateway.Gateway;
import dev.tally.gateway.Reloader;
import dev.tally.gateway.config.ConfigException;
import dev.tally.gateway.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A whole gateway on 127.0.0.1 with free ports, a UDP sender and an HTTP client for it. Polling
 * runs on Vert.x timers and is bounded; nothing sleeps.
 */
public final class TestGateway implements AutoCloseable {
  /** Flags that give every listener a free port. */
  public static final List<String> FREE_PORTS =
      List.of(
          "--http-port",
          "0",
          "--statsd-port",
          "0",
          "--otlp-grpc-port",
          "0",
          "--otlp-http-port",
          "0");

  /** How long {@link #scrapeUntil} waits before it fails. */
  public static final long POLL_TIMEOUT_MILLIS = 15_000;

  private final Vertx vertx;
  private final Gateway gateway;
  private final HttpClient http;
  private final HttpProbe probe;
  private final DatagramSocket udp;

  private final List<String> args;

  private TestGateway(Vertx vertx, Gateway gateway, HttpClientOptions client, List<String> args)
      throws IOException {
    this.args = List.copyOf(args);
    this.vertx = vertx;
    this.gateway = gateway;
    this.http =
        vertx.createHttpClient(
            new HttpClientOptions(client)
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(gateway.httpPort()));
    this.probe = new HttpProbe(vertx, http);
    this.udp = new DatagramSocket();
  }

  /**
   * A TCP port free on 127.0.0.1 now, for a server that cannot take port 0 (a cluster member's,
   * Alertmanager's).
   */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts a gateway with a 100 ms tick and the given extra flags. */
  public static TestGateway start(Vertx vertx, String... flags) throws Exception {
    return start(vertx, new HttpClientOptions(), flags);
  }

  /**
   * As {@link #start(Vertx, String...)}, with the options of the client that scrapes it (TLS for a
   * gateway with a certificate).
   */
  public static TestGateway start(Vertx vertx, HttpClientOptions client, String... flags)
      throws Exception {
    List<String> args = new ArrayList<>(FREE_PORTS);
    // no StatsD warm-up: tests measure no speed, and each gateway starts sooner
    args.addAll(
        List.of(
            "--bind", "127.0.0.1", "--tick", "100ms", "--shards", "2", "--statsd-warm-up", "0s"));
    args.addAll(Arrays.asList(flags));
    if (!args.contains("--data-dir")) { // each gateway its own history, never ./data
      args.addAll(
          List.of("--data-dir", java.nio.file.Files.createTempDirectory("tally-data").toString()));
    }
    Gateway g = Gateway.start(vertx, options(args)).await(20, TimeUnit.SECONDS);
    return new TestGateway(vertx, g, client, args);
  }

  private static dev.tally.gateway.config.TallyOptions options(List<String> args)
      throws ConfigException {
    return ConfigLoader.load(args.toArray(new String[0]), Map.of()).options;
  }

  /** Makes the gateway reload its configuration (the same flags, files read again) on change. */
  public Reloader watchConfig() throws Exception {
    return gateway.watchConfig(() -> options(args)).await(20, TimeUnit.SECONDS);
  }

  public Gateway gateway() {
    return gateway;
  }

  /** Sends one datagram to the StatsD port. */
  public void send(String packet) {
    byte[] b = packet.getBytes(StandardCharsets.UTF_8);
    try {
      udp.send(
          new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), gateway.statsdPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET {@code path}; completes with status and body. */
  public Future<Response> get(String path) {
    return probe.get(path);
  }

  /** GET {@code path} with headers (name, value, ...); completes with status and body. */
  public Future<Response> get(String path, String... headers) {
    return probe.get(path, headers);
  }

  /** See {@link HttpProbe#request}. */
  public Future<Response> request(HttpMethod method, String path, String json, String... headers) {
    return probe.request(method, path, json, headers);
  }

  public Future<Exposition> scrape() {
    return probe.scrape();
  }

  /** See {@link HttpProbe#scrapeUntil}. */
  public Future<Exposition> scrapeUntil(Predicate<Exposition> done) {
    return probe.scrapeUntil(done);
  }

  /** See {@link HttpProbe#getUntil}. */
  public Future<Response> getUntil(String path, Predicate<Response> done) {
    return probe.getUntil(path, done);
  }

  /** POSTs the dashboard's login form with {@code token}; the response, its body read. */
  public static io.vertx.core.http.HttpClientResponse login(
      io.vertx.core.http.HttpClient http, int port, String token) throws Exception {
    String body =
        "token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
    return http.request(HttpMethod.POST, port, "127.0.0.1", "/api/login")
        .compose(
            req ->
                req.putHeader("content-type", "application/x-www-form-urlencoded")
                    .send(io.vertx.core.buffer.Buffer.buffer(body))
                    .compose(resp -> resp.body().map(b -> resp)))
        .await(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    udp.close();
    gateway.stop(0).compose(v -> http.close()).await(20, TimeUnit.SECONDS);
  }

  /** An HTTP response. */
  public static final class Response {
    public final int status;
    public final String contentType;
    public final String body;

    Response(int status, String contentType, String body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }
}
