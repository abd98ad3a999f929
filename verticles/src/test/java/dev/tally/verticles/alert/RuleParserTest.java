package dev.tally.verticles.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RuleParserTest {
  @Test
  void theContractsExampleParsesAndWritesBackTheSameShape() throws Exception {
    JsonObject json =
        new JsonObject(
            "{\"name\":\"api-slow\",\"match\":\"api.latency*\",\"tags\":{\"env\":\"prod\"},"
                + "\"value\":\"p99\",\"op\":\">\",\"threshold\":0.5,\"for\":\"30s\","
                + "\"severity\":\"critical\",\"repeat\":\"5m\",\"labels\":{\"team\":\"api\"},"
                + "\"annotations\":{\"summary\":\"p99 is {{ $value }}\"}}");
    Rule r = RuleParser.parse(json);
    assertThat(r.value()).isEqualTo(AlertValue.P99);
    assertThat(r.forMillis()).isEqualTo(30_000);
    assertThat(r.repeatMillis()).isEqualTo(300_000);
    assertThat(RuleParser.parse(r.toJson())).isEqualTo(r);
  }

  @Test
  void aBadRuleIsRefusedWithEveryReason() {
    RuleException e =
        catchThrowableOfType(
            RuleException.class,
            () ->
                RuleParser.parse(
                    new JsonObject(
                        "{\"name\":\"bad name!\",\"match\":\"\",\"value\":\"p42\",\"op\":\"=>\","
                            + "\"threshold\":\"high\",\"for\":\"soon\",\"severity\":\"dire\","
                            + "\"labels\":{\"alertname\":\"x\",\"ok\":1},\"colour\":\"red\"}")));
    assertThat(e.errors())
        .extracting(RuleException.FieldError::field)
        .containsExactlyInAnyOrder(
            "colour",
            "name",
            "match",
            "value",
            "op",
            "threshold",
            "for",
            "severity",
            "labels.alertname",
            "labels.ok");
    assertThat(e.toJson().getJsonArray("errors").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("field", "message");
  }

  @Test
  void aRatioNeedsADenominatorAndOnlyARatioHasOne() {
    RuleException missing =
        catchThrowableOfType(
            RuleException.class,
            () ->
                RuleParser.parse(
                    new JsonObject(
                        "{\"name\":\"r\",\"match\":\"e\",\"value\":\"ratio\",\"op\":\">\","
                            + "\"threshold\":1}")));
    assertThat(missing.errors())
        .extracting(RuleException.FieldError::field)
        .containsExactly("denominator");
    RuleException extra =
        catchThrowableOfType(
            RuleException.class,
            () ->
                RuleParser.parse(
                    new JsonObject(
                        "{\"name\":\"r\",\"match\":\"e\",\"value\":\"rate\",\"op\":\">\","
                            + "\"threshold\":1,\"denominator\":{\"match\":\"x\",\"bogus\":1}}")));
    assertThat(extra.errors())
        .extracting(RuleException.FieldError::field)
        .containsExactly("denominator");
  }
}
