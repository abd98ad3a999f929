package dev.tally.gateway.guard;

import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.security.Tls;
import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the TCP listeners share: a connection limit each, the OTLP request body budget and the
 * timeouts. Made once per gateway; the servers of every event loop use the same counters.
 */
public final class Listeners implements MeterBinder {
  private final ConnectionLimit http;
  private final ConnectionLimit grpc;
  private final ConnectionLimit otlpHttp;
  private final ConnectionLimit statsdTcp;
  private final RequestBudget budget;
  private final long idleTimeoutMillis;
  private final long requestTimeoutMillis;
  private final AcceptGate gate; // null: the servers' connection handlers count

  /** {@code gate}: the Vert.x's {@link AcceptGate}, or null if it has none. */
  public Listeners(TallyOptions options, AcceptGate gate) {
    this.gate = gate;
    this.http = new ConnectionLimit("http", options.maxConnections());
    this.grpc = new ConnectionLimit("otlp-grpc", options.maxConnections());
    this.otlpHttp = new ConnectionLimit("otlp-http", options.maxConnections());
    this.statsdTcp = new ConnectionLimit("statsd-tcp", options.maxConnections());
    this.budget = new RequestBudget(options.maxInflightBytes());
    this.idleTimeoutMillis = options.idleTimeoutMillis();
    this.requestTimeoutMillis = options.requestTimeoutMillis();
  }

  /**
   * A server with {@code limit}'s count installed (unless the gate counts) and its options: TLS as
   * configured, and an idle timeout, after which a connection that has neither read nor written
   * (taken by its socket) is closed. {@code h2c}: HTTP/2 over plain TCP too, which only gRPC needs.
   *
   * <p>WebSocket compression is off: a deflater per connection holds about 300 KB of native memory,
   * and the live feed's messages would be compressed once per client on the HTTP event loop (500
   * WebSocket clients took that loop whole and {@code /health/live} timed out behind them).
   */
  public HttpServer server(Vertx vertx, ConnectionLimit limit, TallyOptions options, boolean h2c) {
    return limit.install(vertx.createHttpServer(serverOptions(options, h2c)), gate != null);
  }

  /** True if an {@link AcceptGate} counts the connections (a server's handler must not). */
  public boolean gated() {
    return gate != null;
  }

  /** A connection closes after this long without reading or writing. */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** Tells the gate, if there is one, that {@code limit}'s listener is bound to {@code port}. */
  public void listening(ConnectionLimit limit, int port) {
    if (gate != null) {
      gate.guard(port, limit);
    }
  }

  /** The listeners' connection limits, the OTLP request body budget and request timeouts. */
  @Override
  public void bindTo(MeterRegistry r) {
    for (ConnectionLimit l : all()) {
      String[] tag = {"listener", l.listener()};
      SelfMeters.gauge(
          r,
          "tally_connections_open",
          "Open TCP connections, by listener.",
          l,
          ConnectionLimit::open,
          tag);
      SelfMeters.gauge(
          r,
          "tally_connections_max",
          "Connections a listener accepts (max-connections).",
          l,
          ConnectionLimit::max,
          tag);
      SelfMeters.counter(
          r,
          "tally_connections_refused_total",
          "Connections closed as soon as they were accepted: the listener was at max-connections.",
          l,
          ConnectionLimit::refused,
          tag);
    }
    SelfMeters.gauge(
        r,
        "tally_otlp_inflight_bytes",
        "OTLP request body bytes held by requests being received or processed.",
        budget,
        RequestBudget::held);
    SelfMeters.gauge(
        r,
        "tally_otlp_inflight_max_bytes",
        "The budget of tally_otlp_inflight_bytes (max-inflight-bytes).",
        budget,
        RequestBudget::max);
    SelfMeters.counter(
        r,
        "tally_otlp_requests_over_budget_total",
        "OTLP requests refused (UNAVAILABLE/503) because their body would have taken the bytes in flight over max-inflight-bytes; also counted as overloaded in tally_otlp_requests_rejected_total.",
        budget,
        RequestBudget::refused);
    SelfMeters.counter(
        r,
        "tally_otlp_requests_timed_out_total",
        "OTLP requests ended because they were not received and answered within request-timeout.",
        budget,
        RequestBudget::timedOut);
  }

  private HttpServerOptions serverOptions(TallyOptions options, boolean h2c) {
    return Tls.apply(
        new HttpServerOptions()
            .setHttp2ClearTextEnabled(h2c)
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, idleTimeoutMillis))
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS),
        options);
  }

  /** The limit of the HTTP listener (dashboard, API, live feed, {@code /metrics}). */
  public ConnectionLimit httpConnections() {
    return http;
  }

  public ConnectionLimit grpcConnections() {
    return grpc;
  }

  /** The limit of the OTLP/HTTP listener. */
  public ConnectionLimit httpOtlpConnections() {
    return otlpHttp;
  }

  /** The limit of the StatsD TCP listener. */
  public ConnectionLimit statsdTcpConnections() {
    return statsdTcp;
  }

  /** Every listener's limit, for the self-metrics. */
  public List<ConnectionLimit> all() {
    return List.of(http, grpc, otlpHttp, statsdTcp);
  }

  public RequestBudget budget() {
    return budget;
  }

  public long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }
}
