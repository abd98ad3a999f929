package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {
  @Test
  void theFormatsPrometheusAsksForAreTheOnesItGets() {
    // Prometheus 2.42 with --enable-feature=native-histograms
    assertThat(
            ExpositionFormat.negotiate(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"))
        .isEqualTo(ExpositionFormat.PROTOBUF);
    // Prometheus 2.42 without it
    assertThat(
            ExpositionFormat.negotiate(
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionFormat.negotiate(null)).isEqualTo(ExpositionFormat.TEXT);
    assertThat(ExpositionFormat.negotiate("*/*")).isEqualTo(ExpositionFormat.TEXT);
    assertThat(ExpositionFormat.negotiate("application/json")).isEqualTo(ExpositionFormat.TEXT);
    // protobuf of another message, or not delimited, is not this one
    assertThat(ExpositionFormat.negotiate("application/vnd.google.protobuf;q=1"))
        .isEqualTo(ExpositionFormat.TEXT);
    assertThat(
            ExpositionFormat.negotiate(
                "text/plain;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5"))
        .isEqualTo(ExpositionFormat.TEXT);
  }
}
