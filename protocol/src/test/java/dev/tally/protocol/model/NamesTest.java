package dev.tally.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"job", "http_server_duration_seconds", "a:b", "_x", ""})
  void aNameThatIsAlreadyCleanIsReturnedAsItIs(String name) {
    assertThat(Names.sanitize(name)).isSameAs(name);
  }

  @ParameterizedTest(name = "{0} -> {1} / label {2}")
  @CsvSource({
    "http.route, http_route, http_route",
    "a__b, a_b, a_b",
    "9lives, _9lives, _9lives",
    "a:b, a:b, a_b",
    "é, _, _",
  })
  void otherNamesAreSanitized(String raw, String name, String label) {
    assertThat(Names.sanitize(raw)).isEqualTo(name);
    assertThat(Names.sanitizeLabel(raw)).isEqualTo(label);
  }
}
