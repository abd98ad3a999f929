package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionTest {
  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "*, anything, true",
    "api_*, api_latency, true",
    "api_*, web_api, false",
    "*latency*, api_latency_seconds, true",
    "a?c, abc, true",
    "a?c, abbc, false",
    "*a*b*c, xaxbxc, true",
    "*a*b*c, xaxbxcx, false",
    "*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?*?Z, abcdefghijklmnopqrstuvwxyzabcdefghijklmn, false",
  })
  void globsMatchWholeNames(String glob, String name, boolean expected) {
    assertThat(Subscription.matches(glob, name)).isEqualTo(expected);
  }

  @Test
  void globsAreSanitizedAsNamesAreAndEqualSetsAreEqual() {
    assertThat(Subscription.parse("api.latency*").id()).isEqualTo("api_latency*");
    assertThat(Subscription.parse("5xx.*").id()).isEqualTo("_5xx_*");
    assertThat(Subscription.parse("b*,a*")).isEqualTo(Subscription.parse("a*, b*"));
    assertThat(Subscription.parse("")).isEqualTo(Subscription.ALL);
  }

  @Test
  void tooManyOrTooLongGlobsAreRefused() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i <= Subscription.MAX_GLOBS; i++) {
      many.add("g" + i);
    }
    assertThatThrownBy(() -> Subscription.of(many)).hasMessageContaining("at most 32 globs");
    assertThatThrownBy(() -> Subscription.parse("x".repeat(201)))
        .hasMessageContaining("at most 200 characters");
  }
}
