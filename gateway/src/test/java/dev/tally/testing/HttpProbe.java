package dev.tally.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * GETs and bounded polling of one HTTP server on 127.0.0.1 with a Vert.x client: each request
 * chains its body on the event loop, and polls wait 50 ms between tries on a Vert.x timer.
 */
public final class HttpProbe {
  /** How long {@link #getUntil} waits before it fails. */
  public static final long POLL_TIMEOUT_MILLIS = TestGateway.POLL_TIMEOUT_MILLIS;

  private final Vertx vertx;
  private final HttpClient http;

  HttpProbe(Vertx vertx, HttpClient http) {
    this.vertx = vertx;
    this.http = http;
  }

  /** A probe of the server on {@code port} (a gateway process, say). */
  public static HttpProbe of(Vertx vertx, int port) {
    return new HttpProbe(
        vertx,
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)));
  }

  /** GET {@code path}; completes with status and body. */
  public Future<TestGateway.Response> get(String path) {
    return get(path, new String[0]);
  }

  /** GET {@code path} with headers (name, value, ...); completes with status and body. */
  public Future<TestGateway.Response> get(String path, String... headers) {
    return request(HttpMethod.GET, path, null, headers);
  }

  /**
   * Sends {@code method path} with a JSON body (none if null) and headers (name, value, ...);
   * completes with status and body.
   */
  public Future<TestGateway.Response> request(
      HttpMethod method, String path, String json, String... headers) {
    return http.request(method, path)
        .compose(
            req -> {
              for (int i = 0; i + 1 < headers.length; i += 2) {
                req.putHeader(headers[i], headers[i + 1]);
              }
              if (json != null) {
                req.putHeader("content-type", "application/json");
              }
              return (json == null ? req.send() : req.send(json))
                  .compose(
                      resp ->
                          resp.body()
                              .map(
                                  body ->
                                      new TestGateway.Response(
                                          resp.statusCode(),
                                          resp.getHeader("content-type"),
                                          body.toString(StandardCharsets.UTF_8))));
            });
  }

  /** Closes the client. */
  public Future<Void> close() {
    return http.close();
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
   * GETs {@code path} every 50 ms until {@code done} holds (a condition that throws on an answer
   * does not hold yet); fails with the last answer after {@link #POLL_TIMEOUT_MILLIS}.
   */
  public Future<TestGateway.Response> getUntil(String path, Predicate<TestGateway.Response> done) {
    return getUntil(path, done, POLL_TIMEOUT_MILLIS);
  }

  /** As {@link #getUntil(String, Predicate)}, failing after {@code timeoutMillis}. */
  public Future<TestGateway.Response> getUntil(
      String path, Predicate<TestGateway.Response> done, long timeoutMillis) {
    Promise<TestGateway.Response> result = Promise.promise();
    poll(path, done, System.currentTimeMillis() + timeoutMillis, result);
    return result.future();
  }

  private void poll(
      String path,
      Predicate<TestGateway.Response> done,
      long deadline,
      Promise<TestGateway.Response> result) {
    get(path)
        .onComplete(
            ar -> {
              Throwable failed = ar.cause();
              boolean met = false;
              if (ar.succeeded()) {
                try {
                  met = done.test(ar.result());
                } catch (RuntimeException e) { // an answer the condition cannot read: not yet
                  failed = e;
                }
              }
              if (met) {
                result.complete(ar.result());
              } else if (System.currentTimeMillis() > deadline) {
                result.fail(
                    new AssertionError(
                        "condition not met in time; last answer to "
                            + path
                            + ":\n"
                            + (ar.succeeded() ? ar.result().body : "")
                            + (failed == null ? "" : "\n" + failed)));
              } else {
                vertx.setTimer(50, id -> poll(path, done, deadline, result));
              }
            });
  }
}
