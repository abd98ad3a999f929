package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
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

  private static SeriesSnapshot series(String name, String... labels) {
    SeriesKey key = SeriesKey.of(MetricKind.COUNTER, name, List.of(labels));
    return new SeriesSnapshot(new SeriesName(key, ""), 0, 1, 0, 0, 0, 0, 0, null);
  }

  @Test
  void labelMatchersNeedEveryLabelAndLeaveNamesToTheGlobs() {
    SeriesSnapshot cart = series("http.requests", "route", "/cart", "http.method", "GET");
    SeriesSnapshot home = series("http.requests", "route", "/", "method", "GET");
    SeriesSnapshot other = series("jobs.done", "route", "/cart");
    Subscription byRoute = Subscription.parse("route=/cart");
    assertThat(byRoute.matches(cart)).isTrue();
    assertThat(byRoute.matches(home)).isFalse();
    assertThat(byRoute.matches(other)).as("no name glob: every name").isTrue();
    Subscription both = Subscription.parse("http*,route=/c*,http_method=GET");
    assertThat(both.matches(cart)).isTrue();
    assertThat(both.matches(other)).as("the name glob still applies").isFalse();
    assertThat(Subscription.parse("http_method=POST,http*").matches(cart)).isFalse();
    assertThat(Subscription.parse("route = /cart ,http*"))
        .isEqualTo(Subscription.parse("http*,route = /cart"));
    assertThatThrownBy(() -> Subscription.parse("=x")).hasMessageContaining("label name");
    assertThat(Subscription.parse("http.method=GET").matches(cart))
        .as("label names sanitized as series' are")
        .isTrue();
    assertThatThrownBy(() -> Subscription.of(List.of("route=/a,method=GET")))
        .as("one WebSocket item with a comma is not two")
        .hasMessageContaining("','");
  }
}
