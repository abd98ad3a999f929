package dev.tally.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricNamesTest {
  @ParameterizedTest(name = "{0} [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http.server.duration | s | http_server_duration_seconds",
        "http.server.duration | ms | http_server_duration_milliseconds",
        "system.memory.usage | By | system_memory_usage_bytes",
        "disk.io | MiBy | disk_io_mebibytes",
        "system.network.dropped | {packets} | system_network_dropped",
        "requests | 1 | requests",
        "cpu.utilization | % | cpu_utilization_percent",
        "throughput | By/s | throughput_bytes_per_second",
        "request.rate | {request}/s | request_rate_per_second",
        "uptime | h | uptime_hours",
        "room.temp | Cel | room_temp_celsius",
        "latency_seconds | s | latency_seconds",
        "custom | widgets | custom_widgets",
        "2xx.count | '' | _2xx_count",
        "odd--name!! | '' | odd_name_",
      })
  void unitWordIsAddedUnlessTheNameEndsWithIt(String name, String unit, String expected) {
    assertThat(MetricNames.prometheusName(name, unit, false)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "counter {0} [{1}] -> {2}_total")
  @CsvSource(
      delimiter = '|',
      value = {
        "foo_total | By | foo_bytes",
        "foo_seconds_total | s | foo_seconds",
        "requests | {request} | requests",
        "_total | '' | _total",
        "'' | s | ''",
      })
  void counterNamesLoseTheirTotalBeforeTheUnit(String name, String unit, String expected) {
    assertThat(MetricNames.prometheusName(name, unit, true)).isEqualTo(expected);
  }
}
