package dev.tally.testing;

import dev.tally.gateway.Gateway;
import dev.tally.gateway.Reloader;
import dev.tally.gateway.config.ConfigException;
import dev.tally.gateway.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    this.udp = new DatagramSocket();
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
    args.addAll(List.of("--bind", "127.0.0.1", "--tick", "100ms", "--shards", "2"));
    args.addAll(Arrays.asList(flags));
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
    return get(path, new String[0]);
  }

  /** GET {@code path} with headers (name, value, ...); completes with status and body. */
  public Future<Response> get(String path, String... headers) {
    return http.request(HttpMethod.GET, path)
        .compose(
            req -> {
              for (int i = 0; i + 1 < headers.length; i += 2) {
                req.putHeader(headers[i], headers[i + 1]);
              }
              return req.send()
                  .compose(
                      resp ->
                          resp.body()
                              .map(
                                  body ->
                                      new Response(
                                          resp.statusCode(),
                                          resp.getHeader("content-type"),
                                          body.toString(StandardCharsets.UTF_8))));
            });
  }

  public Future<Exposition> scrape() {
    return get("/metrics").map(r -> new Exposition(r.body));
  }

  /**
   * Scrapes until {@code done} holds; fails with the last scrape after {@link
   * #POLL_TIMEOUT_MILLIS}.
   */
  public Future<Exposition> scrapeUntil(Predicate<Exposition> done) {
    return getUntil("/metrics", r -> done.test(new Exposition(r.body)))
        .map(r -> new Exposition(r.body));
  }

  /**
   * GETs {@code path} every 50 ms until {@code done} holds; fails with the last answer after {@link
   * #POLL_TIMEOUT_MILLIS}.
   */
  public Future<Response> getUntil(String path, Predicate<Response> done) {
    Promise<Response> result = Promise.promise();
    poll(path, done, System.currentTimeMillis() + POLL_TIMEOUT_MILLIS, result);
    return result.future();
  }

  private void poll(
      String path, Predicate<Response> done, long deadline, Promise<Response> result) {
    get(path)
        .onComplete(
            ar -> {
              if (ar.succeeded() && done.test(ar.result())) {
                result.complete(ar.result());
              } else if (System.currentTimeMillis() > deadline) {
                result.fail(
                    new AssertionError(
                        "condition not met within "
                            + POLL_TIMEOUT_MILLIS
                            + " ms; last answer to "
                            + path
                            + ":\n"
                            + (ar.succeeded() ? ar.result().body : ar.cause())));
              } else {
                vertx.setTimer(50, id -> poll(path, done, deadline, result));
              }
            });
  }

  @Override
  public void close() throws Exception {
    udp.close();
    gateway.stop().compose(v -> http.close()).await(20, TimeUnit.SECONDS);
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
