package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregatorOptionsTest {
  @Test
  void defaultsAreTheDocumentedConstants() {
    AggregatorOptions o = new AggregatorOptions();
    assertThat(o.getTickMillis()).isEqualTo(AggregatorOptions.DEFAULT_TICK_MILLIS).isEqualTo(1000);
    assertThat(o.getWindowMillis())
        .isEqualTo(AggregatorOptions.DEFAULT_WINDOW_MILLIS)
        .isEqualTo(60_000);
    assertThat(o.getSeriesTtlMillis())
        .isEqualTo(AggregatorOptions.DEFAULT_SERIES_TTL_MILLIS)
        .isEqualTo(600_000);
    assertThat(o.getHistogramDigits())
        .isEqualTo(AggregatorOptions.DEFAULT_HISTOGRAM_DIGITS)
        .isEqualTo(2);
    assertThat(o.getQuantileBudget()).isEqualTo(AggregatorOptions.DEFAULT_QUANTILE_BUDGET);
  }

  @Test
  void copyIsIndependentOfTheOriginal() {
    AggregatorOptions original = new AggregatorOptions().setTickMillis(500).setHistogramDigits(3);
    AggregatorOptions copy = new AggregatorOptions(original);
    original.setTickMillis(2000).setHistogramDigits(1);
    assertThat(copy.getTickMillis()).isEqualTo(500);
    assertThat(copy.getHistogramDigits()).isEqualTo(3);
  }

  @Test
  void settersRefuseOutOfRangeValuesNamingTheField() {
    assertThatThrownBy(() -> new AggregatorOptions().setTickMillis(5))
        .hasMessageContaining("tickMillis");
    assertThatThrownBy(() -> new AggregatorOptions().setWindowMillis(10))
        .hasMessageContaining("windowMillis");
    assertThatThrownBy(() -> new AggregatorOptions().setSeriesTtlMillis(0))
        .hasMessageContaining("seriesTtlMillis");
    assertThatThrownBy(() -> new AggregatorOptions().setHistogramDigits(4))
        .hasMessageContaining("histogramDigits");
    assertThatThrownBy(() -> new AggregatorOptions().setQuantileBudget(0))
        .hasMessageContaining("quantileBudget");
  }
}
