package dev.tally.verticles.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.alert.Notification.Kind;
import dev.tally.verticles.live.TickAssembler;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rules evaluated on real shard snapshots, one per second of an injected clock. */
class AlertEvaluatorTest {
  private static final long T0 = 1_700_000_000_000L;

  private final StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
  private final ShardAggregator shard =
      new ShardAggregator(0, new AggregatorOptions(), new SeriesLimiter(1000), new PipelineStats());
  private final TickAssembler assembler = new TickAssembler(1);
  private final AlertEvaluator evaluator = new AlertEvaluator();
  private long now = T0;

  /** One second: the lines arrive, the shard ticks, the rules are evaluated. */
  private List<Notification> second(String... lines) {
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), now);
    now += 1000;
    TickSnapshot tick = assembler.add(shard.tick(now));
    return evaluator.evaluate(tick, now);
  }

  private static Rule rule(String json) throws RuleException {
    return RuleParser.parse(new JsonObject(json));
  }

  private AlertView only() {
    List<AlertView> all = evaluator.alerts(now);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void pendingForTheForDurationThenFiringThenResolved() throws Exception {
    evaluator.putRule(
        rule(
            "{\"name\":\"deep-queue\",\"match\":\"queue.depth\",\"tags\":{\"env\":\"prod\"},"
                + "\"value\":\"value\",\"op\":\">\",\"threshold\":10,\"for\":\"3s\","
                + "\"severity\":\"critical\",\"labels\":{\"team\":\"core\"},"
                + "\"annotations\":{\"summary\":\"queue {{ $labels.env }} at {{ $value }}\"}}"),
        now);
    assertThat(second("queue.depth:20|g|#env:prod", "queue.depth:50|g|#env:test")).isEmpty();
    assertThat(only().state()).isEqualTo(AlertState.PENDING);
    assertThat(second()).isEmpty();
    assertThat(second()).isEmpty(); // 2 s pending
    List<Notification> fired = second(); // 3 s
    assertThat(fired).singleElement().extracting(Notification::kind).isEqualTo(Kind.FIRING);
    AlertView firing = fired.get(0).alert();
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    assertThat(firing.value()).isEqualTo(20.0);
    assertThat(firing.labels())
        .containsEntry("alertname", "deep-queue")
        .containsEntry("severity", "critical")
        .containsEntry("team", "core")
        .containsEntry("env", "prod");
    assertThat(firing.annotations()).containsEntry("summary", "queue prod at 20");
    assertThat(firing.series()).isEqualTo("queue_depth{env=\"prod\"}"); // the live feed's key

    List<Notification> resolved = second("queue.depth:5|g|#env:prod");
    assertThat(resolved).singleElement().extracting(Notification::kind).isEqualTo(Kind.RESOLVED);
    assertThat(only().state()).isEqualTo(AlertState.RESOLVED);
    now += AlertEvaluator.RESOLVED_RETENTION_MILLIS;
    second();
    assertThat(evaluator.alerts(now)).isEmpty();
  }

  @Test
  void aPendingAlertWhoseConditionStopsIsDroppedWithoutNotice() throws Exception {
    evaluator.putRule(
        rule(
            "{\"name\":\"r\",\"match\":\"q\",\"value\":\"value\",\"op\":\">=\",\"threshold\":1,"
                + "\"for\":\"10s\"}"),
        now);
    assertThat(second("q:1|g")).isEmpty();
    assertThat(only().state()).isEqualTo(AlertState.PENDING);
    assertThat(second("q:0|g")).isEmpty();
    assertThat(evaluator.alerts(now)).isEmpty();
  }

  @Test
  void firingAlertsRepeatUntilAcknowledged() throws Exception {
    evaluator.putRule(
        rule(
            "{\"name\":\"errors\",\"match\":\"api.errors\",\"value\":\"rate\",\"op\":\">\","
                + "\"threshold\":0,\"repeat\":\"3s\"}"),
        now);
    assertThat(second("api.errors:1|c"))
        .extracting(Notification::kind)
        .containsExactly(Kind.FIRING);
    assertThat(second("api.errors:1|c")).isEmpty();
    assertThat(second("api.errors:1|c")).isEmpty();
    assertThat(second("api.errors:1|c"))
        .extracting(Notification::kind)
        .containsExactly(Kind.REPEAT);

    AlertView acked = evaluator.ack(only().id(), "ana", "looking", now);
    assertThat(acked.ack()).isEqualTo(new Alert.Ack("ana", "looking", now));
    for (int i = 0; i < 5; i++) {
      assertThat(second("api.errors:1|c")).isEmpty(); // no repeats once acknowledged
    }
    assertThat(second()).extracting(Notification::kind).containsExactly(Kind.RESOLVED);
    assertThat(only().ack()).isNull();
    assertThat(evaluator.ack("no-such-id", "ana", "", now)).isNull();
  }

  @Test
  void silencesMuteNotificationsButNotTheState() throws Exception {
    evaluator.putRule(
        rule(
            "{\"name\":\"hot\",\"match\":\"temp\",\"value\":\"value\",\"op\":\">\","
                + "\"threshold\":30,\"repeat\":\"2s\"}"),
        now);
    Silence s = evaluator.silence(Map.of("alertname", "hot"), now + 3000, "bo", "maintenance", now);
    evaluator.silence(Map.of("alertname", "other"), now + 60_000, "bo", "not this one", now);
    assertThat(second("temp:40|g")).isEmpty();
    assertThat(only().state()).isEqualTo(AlertState.FIRING);
    assertThat(only().silenced()).isTrue();
    assertThat(second()).isEmpty();
    // the silence ends as the repeat falls due
    assertThat(second()).extracting(Notification::kind).containsExactly(Kind.REPEAT);
    assertThat(evaluator.silences()).extracting(Silence::id).doesNotContain(s.id());
    assertThat(only().silenced()).isFalse();
  }

  @Test
  void aRatioRuleComparesTheSumsOfTwoSelectors() throws Exception {
    evaluator.putRule(
        rule(
            "{\"name\":\"error-ratio\",\"match\":\"http.errors\",\"value\":\"ratio\","
                + "\"denominator\":{\"match\":\"http.requests\"},\"op\":\">\",\"threshold\":0.1}"),
        now);
    assertThat(
            second(
                "http.errors:1|c|#route:a",
                "http.requests:50|c|#route:a",
                "http.requests:50|c|#route:b"))
        .isEmpty(); // 1 / 100
    List<Notification> fired = second("http.errors:15|c|#route:a", "http.requests:100|c|#route:b");
    assertThat(fired).singleElement().satisfies(n -> assertThat(n.alert().value()).isEqualTo(0.15));
    assertThat(fired.get(0).alert().series()).isEqualTo("ratio");
  }

  @Test
  void replacingOrRemovingARuleEndsItsAlerts() throws Exception {
    Rule r =
        rule("{\"name\":\"r\",\"match\":\"g\",\"value\":\"value\",\"op\":\">\",\"threshold\":0}");
    evaluator.putRule(r, now);
    assertThat(second("g:1|g")).extracting(Notification::kind).containsExactly(Kind.FIRING);
    assertThat(evaluator.setRules(List.of(r), now)).isEmpty(); // unchanged: kept
    assertThat(evaluator.removeRule("r", now))
        .extracting(Notification::kind)
        .containsExactly(Kind.RESOLVED);
    assertThat(evaluator.alerts(now)).isEmpty();
    assertThat(second()).isEmpty();
  }
}
