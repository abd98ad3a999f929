package dev.tally.gateway.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryTest {
  @Test
  void aFailingBodyIsRetriedWithDoublingBackoffThenGivenUp() {
    Delivery.Counts counts = new Delivery.Counts("webhook");
    Delivery d = new Delivery(10, counts);
    d.offer("a");
    d.offer("b");
    long[] waits = new long[9];
    for (int i = 0; i < waits.length; i++) {
      waits[i] = d.failedAttempt();
    }
    assertThat(waits).containsExactly(500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000);
    assertThat(d.head()).isEqualTo("a");
    assertThat(d.failedAttempt()).isZero(); // the tenth attempt failed: given up
    assertThat(d.head()).isEqualTo("b");
    assertThat(counts.failed()).isEqualTo(1);
    d.delivered();
    assertThat(d.head()).isNull();
    assertThat(counts.sent()).isEqualTo(1);
  }

  @Test
  void aFullQueueDropsTheOldestBodyBehindTheOneBeingSent() {
    Delivery.Counts counts = new Delivery.Counts("webhook");
    Delivery d = new Delivery(3, counts);
    d.offer("a"); // on its way
    d.offer("b");
    d.offer("c");
    d.offer("d");
    assertThat(counts.dropped()).isEqualTo(1);
    d.delivered();
    assertThat(d.head()).isEqualTo("c"); // b went, a was kept
    assertThat(d.size()).isEqualTo(2);
  }

  @Test
  void aWholeStateReplacesTheStatesWaitingAndAQueueOfOneKeepsItsHead() {
    Delivery.Counts counts = new Delivery.Counts("webhook");
    Delivery d = new Delivery(10, counts);
    d.replaceWaiting("s1"); // on its way
    d.replaceWaiting("s2");
    d.replaceWaiting("s3");
    assertThat(d.size()).isEqualTo(2);
    d.delivered();
    assertThat(d.head()).isEqualTo("s3");
    assertThat(counts.dropped()).isZero();

    Delivery one = new Delivery(1, counts);
    one.offer("a"); // on its way
    one.offer("b");
    assertThat(one.head()).isEqualTo("a");
    assertThat(counts.dropped()).isEqualTo(1);
  }
}
