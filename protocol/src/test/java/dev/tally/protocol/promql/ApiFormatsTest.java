package dev.tally.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiFormatsTest {
  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "0.25, 0.25",
    "100, 100",
    "-3.5, -3.5",
    "1e-7, 1e-07",
    "1.5e21, 1.5e+21",
    "123456789012, 123456789012",
    "0.000001, 0.000001",
    "2.5e-10, 2.5e-10",
    "1e100, 1e+100",
    "-0.0, -0",
    "0, 0",
  })
  void valuesAsGoWritesThem(double v, String text) {
    assertThat(ApiFormats.formatValue(v)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "1435781451781, 1435781451.781",
    "1435781451500, 1435781451.500",
    "1000, 1",
    "5, 0.005"
  })
  void timestampsAsSecondsWithMillis(long ms, String text) {
    assertThat(ApiFormats.appendTime(new StringBuilder(), ms).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "1435781451.781, 1435781451781",
    "2015-07-01T20:10:51.781Z, 1435781451781",
    "4, 4000"
  })
  void times(String text, long ms) {
    assertThat(ApiFormats.parseTime(text)).isEqualTo(ms);
  }

  @ParameterizedTest
  @CsvSource({"15, 15000", "0.5, 500", "1m30s, 90000", "5m, 300000", "1d, 86400000"})
  void durations(String text, long ms) {
    assertThat(ApiFormats.parseDuration(text)).isEqualTo(ms);
  }

  @ParameterizedTest
  @CsvSource({"yesterday", "5q", "5f"})
  void badTimesAndDurationsAreRefused(String text) {
    assertThatThrownBy(() -> ApiFormats.parseTime(text))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ApiFormats.parseDuration(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
