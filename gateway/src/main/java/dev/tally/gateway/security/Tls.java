package dev.tally.gateway.security;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.TallyOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TLS of the HTTP and OTLP listeners from the PEM files of the options: OpenSSL (netty-tcnative
 * BoringSSL) when it loads, else the JDK's engine with a log line; ALPN offers h2 and http/1.1, so
 * gRPC gets HTTP/2; with client CAs, a client certificate is required.
 */
public final class Tls {
  private static final Logger LOG = Logger.getLogger(Tls.class.getName());
  private static volatile boolean engineLogged;

  /** The local event-bus address on which the reloader says that the TLS files have changed. */
  public static final String RELOAD_ADDRESS = "tally.tls.reload";

  private Tls() {}

  /**
   * Makes {@code servers} (TLS ones; plain ones are skipped) load the certificate, key and client
   * CAs again whenever the reloader says so, on the calling verticle's context.
   */
  public static void reloadOnChange(Vertx vertx, CurrentOptions options, HttpServer... servers) {
    vertx
        .eventBus()
        .localConsumer(
            RELOAD_ADDRESS,
            msg -> {
              TallyOptions now = options.get();
              if (now.tlsCert() == null) {
                return;
              }
              for (HttpServer server : servers) {
                server
                    .updateSSLOptions(sslOptions(now), true)
                    .onFailure(
                        e ->
                            LOG.log(
                                Level.WARNING,
                                "tls: reload failed, keeping the old certificate",
                                e));
              }
            });
  }

  /** {@code server} with TLS if the options have a certificate, else unchanged. */
  public static HttpServerOptions apply(HttpServerOptions server, TallyOptions options) {
    if (options.tlsCert() == null) {
      return server;
    }
    ServerSSLOptions ssl = sslOptions(options);
    return server
        .setSsl(true)
        .setUseAlpn(true)
        .setSslEngineOptions(engine())
        .setKeyCertOptions(ssl.getKeyCertOptions())
        .setTrustOptions(ssl.getTrustOptions())
        .setClientAuth(ssl.getClientAuth());
  }

  /** The key, certificate and client CAs of the options, for a server's reload. */
  public static ServerSSLOptions sslOptions(TallyOptions options) {
    ServerSSLOptions ssl =
        new ServerSSLOptions()
            .setUseAlpn(true)
            .setKeyCertOptions(
                new PemKeyCertOptions()
                    .setCertPath(options.tlsCert())
                    .setKeyPath(options.tlsKey()));
    if (options.tlsClientCa() != null) {
      ssl.setTrustOptions(new PemTrustOptions().addCertPath(options.tlsClientCa()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return ssl;
  }

  /** True if the OpenSSL engine (netty-tcnative) loads on this machine. */
  public static boolean openSslAvailable() {
    return OpenSSLEngineOptions.isAvailable() && OpenSSLEngineOptions.isAlpnAvailable();
  }

  private static SSLEngineOptions engine() {
    boolean openSsl = openSslAvailable();
    if (!engineLogged) {
      engineLogged = true;
      LOG.info(
          openSsl
              ? "tls: OpenSSL engine (netty-tcnative BoringSSL)"
              : "tls: OpenSSL (netty-tcnative) not available on this machine, using the JDK's TLS engine");
    }
    return openSsl ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }
}
