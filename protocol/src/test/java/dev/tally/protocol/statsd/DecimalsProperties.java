package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.AnyDoubles;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The StatsD decimal parser against the JDK's, on every form a sender writes. */
class DecimalsProperties {

  @Property(tries = 5000)
  void everyDoubleReadsBackExactly(@ForAll("anyDouble") double d) {
    if (!Double.isFinite(d)) {
      assertThat(parse(Double.toString(d))).isNaN(); // "Infinity", "NaN" are not StatsD values
      return;
    }
    assertThat(parse(Double.toString(d))).isEqualTo(d);
  }

  @Property(tries = 5000)
  void plainDecimalsReadAsTheJdkReadsThem(@ForAll("decimals") String text) {
    double expected = Double.parseDouble(text);
    double got = parse(text);
    if (Double.isFinite(expected)) {
      assertThat(got).as(text).isEqualTo(expected);
    } else {
      assertThat(got).as(text).isNaN();
    }
  }

  @Property(tries = 2000)
  void anythingElseIsNotANumberAndNeverThrows(@ForAll String text) {
    double got = parse(text);
    assertThat(Double.isNaN(got) || Double.isFinite(got)).isTrue();
  }

  private static double parse(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Decimals.parse(b, 0, b.length);
  }

  @Provide
  Arbitrary<Double> anyDouble() {
    return AnyDoubles.all();
  }

  @Provide
  Arbitrary<String> decimals() {
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25);
    Arbitrary<String> sign = Arbitraries.of("", "-", "+");
    Arbitrary<String> fraction = Arbitraries.oneOf(Arbitraries.just(""), digits.map(f -> "." + f));
    Arbitrary<String> exponent =
        Arbitraries.oneOf(
            Arbitraries.just(""), Arbitraries.integers().between(-330, 330).map(e -> "e" + e));
    return Combinators.combine(sign, digits, fraction, exponent).as((a, b, c, d) -> a + b + c + d);
  }
}
