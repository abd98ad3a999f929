package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a shard that has stopped ticking fails {@code /health/live}. */
class HealthRoutesTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void aShardTenTicksAndTenSecondsBehindFailsLiveness() {
    assertThat(HealthRoutes.stuckAggregation(NOW - 10_001, NOW, 1000))
        .isEqualTo("an aggregation shard has not ticked for 10 s");
    assertThat(HealthRoutes.stuckAggregation(NOW - 10_000, NOW, 1000)).isNull();
  }

  @Test
  void slowTicksGetTenOfThemBeforeLivenessFails() {
    assertThat(HealthRoutes.stuckAggregation(NOW - 50_000, NOW, 10_000)).isNull();
    assertThat(HealthRoutes.stuckAggregation(NOW - 100_001, NOW, 10_000))
        .isEqualTo("an aggregation shard has not ticked for 100 s");
  }

  @Test
  void beforeEveryShardHasTickedNothingIsStuck() {
    assertThat(HealthRoutes.stuckAggregation(0, NOW, 1000)).isNull();
  }
}
