package dev.tally.gateway.guard;

import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.security.Tls;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the TCP listeners share: a connection limit each, the OTLP request body budget and the
 * timeouts. Made once per gateway; the servers of every event loop use the same counters.
 */
public final class Listeners {
  private final ConnectionLimit http;
  private final ConnectionLimit grpc;
  private final ConnectionLimit otlpHttp;
  private final RequestBudget budget;
  private final long idleTimeoutMillis;
  private final long requestTimeoutMillis;

  public Listeners(TallyOptions options) {
    this.http = new ConnectionLimit("http", options.maxConnections());
    this.grpc = new ConnectionLimit("otlp-grpc", options.maxConnections());
    this.otlpHttp = new ConnectionLimit("otlp-http", options.maxConnections());
    this.budget = new RequestBudget(options.maxInflightBytes());
    this.idleTimeoutMillis = options.idleTimeoutMillis();
    this.requestTimeoutMillis = options.requestTimeoutMillis();
  }

  /**
   * A server's options: TLS as configured, and an idle timeout, after which a connection that has
   * neither read nor written (taken by its socket) is closed. Without h2c (HTTP/2 over plain TCP,
   * which only gRPC needs) a server meets its connections as soon as they are accepted, so the
   * connection limit counts idle ones too; with it, only once they have sent their first bytes.
   */
  public HttpServerOptions serverOptions(TallyOptions options, boolean h2c) {
    return Tls.apply(
        new HttpServerOptions()
            .setHttp2ClearTextEnabled(h2c)
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

  /** Every listener's limit, for the self-metrics. */
  public List<ConnectionLimit> all() {
    return List.of(http, grpc, otlpHttp);
  }

  public RequestBudget budget() {
    return budget;
  }

  public long requestTimeoutMillis() {
    return requestTimeoutMillis;
  }
}
