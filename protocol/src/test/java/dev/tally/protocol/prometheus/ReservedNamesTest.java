package dev.tally.protocol.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReservedNamesTest {
  private static final String METERS =
      "# HELP jvm_threads_live_threads The current number of live threads\n"
          + "# TYPE jvm_threads_live_threads gauge\n"
          + "jvm_threads_live_threads 42\n"
          + "# TYPE jvm_gc_memory_allocated_bytes counter\n"
          + "jvm_gc_memory_allocated_bytes_total 1.0E7\n"
          + "# TYPE jvm_gc_pause_seconds summary\n"
          + "jvm_gc_pause_seconds_count{action=\"end of minor GC\"} 3\n"
          + "jvm_gc_pause_seconds_sum{action=\"end of minor GC\"} 0.02\n"
          + "# TYPE jvm_gc_pause_seconds_max gauge\n"
          + "jvm_gc_pause_seconds_max{action=\"end of minor GC\"} 0.01\n";

  @Test
  void tallysOwnNamesAreReservedWithoutAnyMeters() {
    ReservedNames r = ReservedNames.TALLY;
    assertThat(r.reserved("tally_series_active")).isTrue();
    assertThat(r.reserved("tally_anything_total")).isTrue();
    assertThat(r.reserved("vertx_http_server_requests_total")).isTrue();
    assertThat(r.reserved("ALERTS")).isTrue();
    assertThat(r.reserved("ALERTS_FOR_STATE")).isTrue();
    assertThat(r.reserved("target_info")).isTrue();
    assertThat(r.reserved("jvm_threads_live_threads")).isFalse();
    assertThat(r.reserved("talley_x")).isFalse();
    assertThat(r.reserved("alerts")).isFalse();
    assertThat(r.reserved("target")).isFalse();
  }

  @Test
  void theMetersOfAPageAreReservedWithTheirSamplesButNotTheirWordsAlone() {
    ReservedNames r = ReservedNames.ofPage(METERS);
    assertThat(r.reserved("jvm_threads_live_threads")).isTrue();
    assertThat(r.reserved("jvm_gc_memory_allocated_bytes_total")).as("a user counter").isTrue();
    assertThat(r.reserved("jvm_gc_pause_seconds")).as("a user timer's family").isTrue();
    assertThat(r.reserved("jvm_gc_pause_seconds_max")).isTrue();
    assertThat(r.reserved("jvm_memory_used")).as("a Micrometer StatsD client's name").isFalse();
    assertThat(r.reserved("jvm_gc_memory_allocated")).isFalse();
    assertThat(r.reserved("tally_x")).isTrue();
  }
}
