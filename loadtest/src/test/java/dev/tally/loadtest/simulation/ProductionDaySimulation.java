package dev.tally.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A production day in small: OTLP exporters and dashboard viewers ramping up over {@code -Dramp}
 * seconds (default a quarter of the duration), people querying the JSON API ({@code -Dapi.rate} per
 * second, default 2), and Prometheus scraping {@code /metrics} every 5 s, all at once for {@code
 * -Dduration} seconds. Assertions: fewer than 0.1 % failures overall; API queries and scrapes
 * answered within {@code -Dp99ms} (500) at p99.
 *
 * <pre>
 * mvn -pl loadtest gatling:test -Dgatling.simulationClass=dev.tally.loadtest.simulation.ProductionDaySimulation
 * </pre>
 */
public class ProductionDaySimulation extends Simulation {
  static final int RAMP = Integer.getInteger("ramp", Math.max(1, Target.duration() / 4));
  static final double API_RATE = Double.parseDouble(System.getProperty("api.rate", "2"));

  HttpProtocolBuilder ingest = Target.otlpHttpProtocol();

  HttpProtocolBuilder dashboard = Target.dashboardProtocol();

  ScenarioBuilder api =
      scenario("API queries")
          .exec(
              http("list series")
                  .get("/api/series?match=*&limit=50")
                  .check(status().is(200), jsonPath("$.series[0].key").optional().saveAs("key")))
          .doIf(session -> session.contains("key"))
          .then(
              http("series history")
                  .get(
                      s ->
                          "/api/series/"
                              + URLEncoder.encode(s.getString("key"), StandardCharsets.UTF_8)
                              + "?window=5m")
                  .check(status().is(200), regex("\"points\":\\[")));

  ScenarioBuilder scraper =
      scenario("Prometheus scrapes")
          .during(Target.duration())
          .on(
              http("scrape /metrics")
                  .get("/metrics")
                  .check(status().is(200), regex("tally_series_active \\d+")),
              pause(5));

  {
    int seconds = Target.duration();
    setUp(
            OtlpHttpSimulation.exporters(seconds)
                .injectOpen(rampUsers(Target.users()).during(RAMP))
                .protocols(ingest),
            LiveViewersSimulation.sseViewers(seconds)
                .injectOpen(rampUsers(Target.users()).during(RAMP))
                .protocols(dashboard),
            LiveViewersSimulation.wsViewers(seconds)
                .injectOpen(rampUsers(Target.users()).during(RAMP))
                .protocols(dashboard),
            api.injectOpen(constantUsersPerSec(API_RATE).during(seconds)).protocols(dashboard),
            scraper.injectOpen(atOnceUsers(1)).protocols(dashboard))
        .assertions(
            global().failedRequests().percent().lt(0.1),
            details("list series")
                .responseTime()
                .percentile(99.0)
                .lt(Integer.getInteger("p99ms", 500)),
            details("scrape /metrics")
                .responseTime()
                .percentile(99.0)
                .lt(Integer.getInteger("p99ms", 500)));
  }
}
