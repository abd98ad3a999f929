package dev.tally.loadtest.simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * Dashboard viewers: {@code -Dusers} SSE viewers and as many WebSocket viewers subscribe to {@code
 * -Dmatch} (default {@code *}) and, for {@code -Dduration} seconds, each must receive a snapshot
 * within {@code -Dtick.timeout} seconds (default 3, the tick being 1 s) every time it waits.
 * Assertion: fewer than 0.1 % failed checks.
 *
 * <pre>
 * mvn -pl loadtest gatling:test -Dgatling.simulationClass=dev.tally.loadtest.simulation.LiveViewersSimulation
 * </pre>
 */
public class LiveViewersSimulation extends Simulation {
  static final String MATCH = System.getProperty("match", "*");
  static final int TICK_TIMEOUT = Integer.getInteger("tick.timeout", 3);
  static final String SNAPSHOT = "\"type\":\"snapshot\"";

  HttpProtocolBuilder protocol = Target.dashboardProtocol();

  static final ChainBuilder SSE_SNAPSHOT =
      exec(
          sse("stream")
              .setCheck()
              .await(TICK_TIMEOUT)
              .on(
                  sse.checkMessage("snapshot")
                      .matching(substring(SNAPSHOT))
                      .check(regex("\"ts\":\\d+"))));

  ScenarioBuilder sseViewers = sseViewers(Target.duration());
  ScenarioBuilder wsViewers = wsViewers(Target.duration());

  /** SSE viewers that each wait for a snapshot, again and again, for {@code seconds}. */
  static ScenarioBuilder sseViewers(int seconds) {
    return scenario("SSE viewers")
        .exec(
            sse("stream")
                .get("/api/stream?match=" + MATCH)
                .await(10)
                .on(sse.checkMessage("hello").check(substring("\"type\":\"hello\""))))
        .during(seconds)
        .on(SSE_SNAPSHOT)
        .exec(sse("stream").close());
  }

  static final ChainBuilder WS_SNAPSHOT =
      exec(
          ws("tick")
              .sendText("{\"type\":\"ping\"}")
              .await(TICK_TIMEOUT)
              .on(
                  ws.checkTextMessage("snapshot")
                      .matching(substring(SNAPSHOT))
                      .check(regex("\"ts\":\\d+"))));

  /**
   * WebSocket viewers that subscribe, then wait for a snapshot again and again for {@code seconds}.
   */
  static ScenarioBuilder wsViewers(int seconds) {
    return scenario("WebSocket viewers")
        .exec(
            ws("connect")
                .connect("/api/ws")
                .await(10)
                .on(ws.checkTextMessage("hello").check(substring("\"type\":\"hello\""))))
        .exec(
            ws("subscribe")
                .sendText("{\"type\":\"subscribe\",\"match\":[\"" + MATCH + "\"]}")
                .await(10)
                .on(ws.checkTextMessage("backfill").matching(substring("\"type\":\"backfill\""))))
        .during(seconds)
        .on(WS_SNAPSHOT)
        .exec(ws("close").close());
  }

  {
    setUp(
            sseViewers.injectOpen(atOnceUsers(Target.users())),
            wsViewers.injectOpen(atOnceUsers(Target.users())))
        .protocols(protocol)
        .assertions(global().failedRequests().percent().lt(0.1));
  }
}
