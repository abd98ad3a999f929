package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.Gateway;
import dev.tally.gateway.GatewayVertx;
import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.testing.TestGateway;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway on the Vert.x that {@code main} builds ({@link GatewayVertx}): {@code /metrics} also
 * carries Vert.x and JVM meters, and stays {@code promtool check metrics} clean.
 */
class VertxMetersIT {
  @Test
  void metricsCarryVertxAndJvmMetersAndStayPromtoolClean() throws Exception {
    List<String> args = new ArrayList<>(TestGateway.FREE_PORTS);
    args.addAll(List.of("--bind", "127.0.0.1", "--tick", "100ms"));
    TallyOptions options = ConfigLoader.load(args.toArray(new String[0]), Map.of()).options;
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = GatewayVertx.create(options, meters);
    try {
      Gateway g = Gateway.start(vertx, options, meters).await(30, TimeUnit.SECONDS);
      HttpClient http = vertx.createHttpClient();
      assertThat(get(http, g.httpPort(), "/api/series")).contains("\"total\"");
      // the server records a request's meter when its response has ended, which may be just after
      // the client has it: poll, boundedly
      String metrics = get(http, g.httpPort(), "/metrics");
      String served = "\nvertx_http_server_requests_total{code=\"200\",method=\"GET\"}";
      for (int i = 0; i < 200 && !metrics.contains(served); i++) {
        metrics = get(http, g.httpPort(), "/metrics");
      }
      assertThat(metrics)
          .contains("\njvm_memory_used_bytes{")
          .contains("\nvertx_http_server_requests_total{code=\"200\",method=\"GET\"}")
          .contains("\nprocess_cpu_seconds_total ")
          .contains("\ntally_series_active ")
          .doesNotContain("process_cpu_time_ns_total");
      Promtool.assertClean(metrics);
      g.stop().await(20, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.send().compose(resp -> resp.body()))
        .map(b -> b.toString())
        .await(20, TimeUnit.SECONDS);
  }
}
