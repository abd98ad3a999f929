package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatsdEventsTest {
  static final long NOW = 1_700_000_000_000_000_000L;

  @Test
  void anEventBecomesALogRecordWithItsFieldsAndTags() {
    LogEntry e =
        map(
            "_e{10,14}:Deploy 1.2|rolled\\nback 3|d:1700000100|h:web-1|p:low|t:error|#service:cart,canary");
    assertThat(e.body()).isEqualTo("Deploy 1.2\nrolled\nback 3");
    assertThat(e.timeNanos()).isEqualTo(1_700_000_100_000_000_000L);
    assertThat(e.severityNumber()).isEqualTo(LogSeverity.ERROR.lowest());
    assertThat(e.severity()).isEqualTo("error");
    assertThat(e.service()).isEqualTo("cart");
    assertThat(e.attributes())
        .containsExactly(
            "event.title", "Deploy 1.2",
            "host.name", "web-1",
            "event.priority", "low",
            "event.alert_type", "error",
            "service", "cart",
            "canary", "true");
  }

  @Test
  void aBareEventIsInfoAtArrival() {
    LogEntry e = map("_e{5,0}:Hello|");
    assertThat(e.body()).isEqualTo("Hello");
    assertThat(e.timeNanos()).isEqualTo(NOW);
    assertThat(e.severity()).isEqualTo("INFO");
    assertThat(e.service()).isEmpty();
  }

  private static LogEntry map(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return StatsdEvents.toLogEntry(b, 0, b.length, NOW);
  }
}
