package dev.tally.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceJobTest {
  @Test
  void isAgreesWithOf() {
    String[][] cases = {
      {"shop", "toy"}, {"shop", ""}, {"shop", null}, {"a/b", "x"}, {"b", "x/a"}, {"", "toy"}
    };
    String[] jobs = {"toy/shop", "shop", "x/a/b", "toy/", "toyshop", "toy/shopx", "xtoy/shop"};
    for (String[] c : cases) {
      for (String job : jobs) {
        assertThat(ServiceJob.is(job, c[0], c[1]))
            .as(job + " against " + c[0] + " in " + c[1])
            .isEqualTo(job.equals(ServiceJob.of(c[0], c[1])));
      }
      assertThat(ServiceJob.is(ServiceJob.of(c[0], c[1]), c[0], c[1])).isTrue();
    }
    assertThat(ServiceJob.of("shop", "toy")).isEqualTo("toy/shop");
    assertThat(ServiceJob.of("shop", null)).isEqualTo("shop");
  }
}
