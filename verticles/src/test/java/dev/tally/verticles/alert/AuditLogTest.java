package dev.tally.verticles.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AuditLogTest {
  @Test
  void keepsTheNewestEntriesAndWritesThemOnePerLine() {
    AuditLog log = new AuditLog(2);
    log.add(1, "rule_created", "tally", "rule", "a");
    log.add(2, "alert_firing", "tally", "alert", "x", "comment", null);
    long before = log.version();
    log.add(3, "alert_resolved", "tally", "alert", "x");
    assertThat(log.version()).isGreaterThan(before);
    assertThat(log.newest(10))
        .extracting(e -> e.getString("event"))
        .containsExactly("alert_resolved", "alert_firing");
    assertThat(log.newest(10).get(1).containsKey("comment")).isFalse();
    String[] lines = log.toJsonLines().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(new JsonObject(lines[0]).getLong("at")).isEqualTo(2);
  }
}
