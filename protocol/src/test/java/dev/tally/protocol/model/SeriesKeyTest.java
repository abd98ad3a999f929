package dev.tally.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {
  @Test
  void theHashIsTheSameInEveryJvm() {
    // the nodes of a cluster pick a series' owner by this hash: nothing identity-based in it
    SeriesKey key = SeriesKey.of(MetricKind.TIMER, "api.latency", List.of("env", "prod"));
    // 31 * (31 * 't' + "api_latency".hashCode()) + Arrays.hashCode({"env", "prod"}), as a literal
    assertThat(key.hashCode()).isEqualTo(-264718714);
  }
}
