package dev.tally.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.verticles.trace.TraceJson;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Times the API writes are bounds when they are read back. */
class QueryParamsTest {
  @Test
  void theApisOwnTimesAreExactBoundsWhenReadBack() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      long nanos = 1_700_000_000_000_000_000L + (random.nextLong() >>> 8);
      BigDecimal ts = TraceJson.millis(nanos); // as written in "ts" (the JSON encoder's toString)
      assertThat(QueryParams.timeNanos(ts.toString())).isLessThanOrEqualTo(nanos);
      assertThat(QueryParams.timeNanos(ts.add(new BigDecimal("0.001")).toString()))
          .isGreaterThan(nanos);
    }
  }

  @Test
  void epochMillisAreReadToTheMicrosecond() {
    assertThat(QueryParams.timeNanos("1795463586079.771")).isEqualTo(1_795_463_586_079_771_000L);
    assertThat(QueryParams.timeNanos("1.7954635860797712E12"))
        .isEqualTo(1_795_463_586_079_771_000L);
    assertThat(QueryParams.timeNanos("0")).isZero();
    assertThat(QueryParams.timeNanos("99999999999999999999")).isEqualTo(Long.MAX_VALUE);
    assertThat(QueryParams.timeNanos("NaN")).isEqualTo(-1);
    // not a time, answered at once: as a BigDecimal it would take seconds to scale
    assertThat(QueryParams.timeNanos("1e-30000000")).isEqualTo(-1);
    assertThat(QueryParams.timeNanos("1.5e3")).isEqualTo(1_500_000_000L);
  }
}
