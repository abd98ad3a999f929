package dev.tally.loadtest.simulation;

import dev.tally.gateway.Gateway;
import dev.tally.gateway.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway the simulations load: the one at {@code -Dhost} and the ports given as system
 * properties ({@code -Dhttp.port=8080 -Dotlp.http.port=4318 -Dotlp.grpc.port=4317
 * -Dstatsd.port=8125}), or, with {@code -Dtally.embedded=true} (the smoke profile), one started in
 * this JVM on free ports, shared by every simulation of the run.
 */
final class Target {
  static final boolean EMBEDDED = Boolean.getBoolean("tally.embedded");
  static final String HOST = System.getProperty("host", "127.0.0.1");
  static final int HTTP_PORT;
  static final int OTLP_HTTP_PORT;
  static final int OTLP_GRPC_PORT;
  static final int STATSD_PORT;

  static {
    if (EMBEDDED) {
      Gateway g = start();
      HTTP_PORT = g.httpPort();
      OTLP_HTTP_PORT = g.otlpHttpPort();
      OTLP_GRPC_PORT = g.otlpGrpcPort();
      STATSD_PORT = g.statsdPort();
    } else {
      HTTP_PORT = Integer.getInteger("http.port", 8080);
      OTLP_HTTP_PORT = Integer.getInteger("otlp.http.port", 4318);
      OTLP_GRPC_PORT = Integer.getInteger("otlp.grpc.port", 4317);
      STATSD_PORT = Integer.getInteger("statsd.port", 8125);
    }
  }

  private Target() {}

  static String http() {
    return "http://" + HOST + ":" + HTTP_PORT;
  }

  static String otlpHttp() {
    return "http://" + HOST + ":" + OTLP_HTTP_PORT;
  }

  /** OTLP/HTTP exports, gzip, sharing connections as one SDK process's exporters do. */
  static io.gatling.javaapi.http.HttpProtocolBuilder otlpHttpProtocol() {
    return io.gatling.javaapi.http.HttpDsl.http
        .baseUrl(otlpHttp())
        .header("content-encoding", "gzip")
        .shareConnections();
  }

  /** The dashboard's HTTP API, SSE and WebSocket. */
  static io.gatling.javaapi.http.HttpProtocolBuilder dashboardProtocol() {
    return io.gatling.javaapi.http.HttpDsl.http
        .baseUrl(http())
        .wsBaseUrl(http().replace("http:", "ws:"));
  }

  static String otlpGrpc() {
    return "http://" + HOST + ":" + OTLP_GRPC_PORT;
  }

  /** Seconds each scenario runs ({@code -Dduration}, default 30). */
  static int duration() {
    return Integer.getInteger("duration", 30);
  }

  /** Concurrent virtual users ({@code -Dusers}, default 10). */
  /**
   * Milliseconds between the starts of one exporter's exports ({@code -Dinterval}, 100); 0 for
   * none.
   */
  static long exportIntervalMillis() {
    return Long.getLong("interval", 100);
  }

  static int users() {
    return Integer.getInteger("users", 10);
  }

  private static Gateway start() {
    try {
      List<String> args =
          List.of(
              "--bind",
              "127.0.0.1",
              "--http-port",
              "0",
              "--statsd-port",
              "0",
              "--otlp-grpc-port",
              "0",
              "--otlp-http-port",
              "0",
              "--tick",
              "1s");
      return Gateway.start(
              Vertx.vertx(), ConfigLoader.load(args.toArray(new String[0]), Map.of()).options)
          .await(60, TimeUnit.SECONDS); // the StatsD warm-up takes up to 20 s
    } catch (Exception e) {
      throw new IllegalStateException("the embedded gateway did not start", e);
    }
  }
}
