package dev.tally.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {
  @Test
  void theHashIsTheSameInEveryJvm() {
    // the nodes of a cluster pick a series' owner by this hash: nothing identity-based in it
    SeriesKey key = SeriesKey.of(MetricKind.TIMER, "api.latency", List.of("env", "prod"));
    int expected =
        31 * (31 * 't' + "api_latency".hashCode()) + Arrays.hashCode(new String[] {"env", "prod"});
    assertThat(key.hashCode()).isEqualTo(expected);
  }
}
