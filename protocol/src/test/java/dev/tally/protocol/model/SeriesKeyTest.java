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

  @Test
  void labelsTheExpositionGivesAMeaningAreRenamedOnEveryKind() {
    // promtool check metrics flags le and quantile on counters and gauges too
    for (MetricKind kind : MetricKind.values()) {
      SeriesKey key = SeriesKey.of(kind, "x", List.of("le", "1", "quantile", "2", "route", "/"));
      assertThat(key.labels())
          .as(kind.name())
          .containsExactly("exported_le", "1", "exported_quantile", "2", "route", "/");
    }
  }
}
