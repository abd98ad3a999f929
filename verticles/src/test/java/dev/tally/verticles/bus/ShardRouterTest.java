package dev.tally.verticles.bus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardRouterTest {
  @Test
  void retryableBatchesLeaveTheLastQuarterOfAQueueToStatsd() {
    ShardRouter router = new ShardRouter(1, 8);
    for (int i = 0; i < 6; i++) {
      assertThat(router.tryReserveRetryable(0)).isTrue();
    }
    assertThat(router.tryReserveRetryable(0)).as("OTLP at three quarters").isFalse();
    assertThat(router.saturated()).isTrue();
    assertThat(router.tryReserve(0)).as("other nodes' deltas still").isTrue();
    router.reserve(0); // a StatsD reader
    assertThat(router.tryReserve(0)).as("the queue itself is full").isFalse();
    assertThat(router.depth(0)).isEqualTo(8);
    router.reserve(0); // a reader's last batch before it pauses goes beyond
    assertThat(router.depth(0)).isEqualTo(9);
    for (int i = 0; i < 4; i++) {
      router.release(0);
    }
    assertThat(router.saturated()).isFalse();
    assertThat(router.tryReserveRetryable(0)).isTrue();
  }
}
