package dev.tally.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryTest {
  @Test
  void aFailingBodyIsRetriedWithDoublingBackoffThenGivenUp() {
    Delivery.Counts counts = new Delivery.Counts();
    Delivery d = new Delivery(10, counts);
    d.offer("a");
    d.offer("b");
    assertThat(d.failedAttempt()).isEqualTo(500);
    assertThat(d.failedAttempt()).isEqualTo(1000);
    assertThat(d.failedAttempt()).isEqualTo(2000);
    assertThat(d.failedAttempt()).isEqualTo(4000);
    assertThat(d.failedAttempt()).isEqualTo(8000);
    assertThat(d.head()).isEqualTo("a");
    assertThat(d.failedAttempt()).isZero(); // the sixth attempt failed: given up
    assertThat(d.head()).isEqualTo("b");
    assertThat(counts.failed()).isEqualTo(1);
    d.delivered();
    assertThat(d.head()).isNull();
    assertThat(counts.sent()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsItsOldestBody() {
    Delivery.Counts counts = new Delivery.Counts();
    Delivery d = new Delivery(2, counts);
    d.offer("a");
    d.offer("b");
    d.offer("c");
    assertThat(d.head()).isEqualTo("b");
    assertThat(d.size()).isEqualTo(2);
    assertThat(counts.dropped()).isEqualTo(1);
  }
}
