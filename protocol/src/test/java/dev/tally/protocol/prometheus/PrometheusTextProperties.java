package dev.tally.protocol.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The text exposition writes what a Prometheus parser reads back: any label value, escaped, comes
 * back as it was; any sample value, NaN and the infinities included, comes back as it was.
 */
class PrometheusTextProperties {

  @Property(tries = 3000)
  void anyLabelValueReadsBack(@ForAll String value) {
    String labels = PrometheusText.labels(Map.of("a", value));
    assertThat(labels).startsWith("a=\"").endsWith("\"");
    String escaped = labels.substring(3, labels.length() - 1);
    assertThat(unescape(escaped)).isEqualTo(value);
    // no raw newline and no unescaped quote can end the value early
    assertThat(escaped).doesNotContain("\n");
    assertThat(escaped.replace("\\\\", "").replace("\\\"", "")).doesNotContain("\"");
  }

  @Property(tries = 5000)
  void anySampleValueReadsBack(@ForAll("anyDouble") double v) {
    StringBuilder sb = new StringBuilder();
    PrometheusText.appendValue(sb, v);
    String text = sb.toString();
    double back =
        switch (text) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          default -> Double.parseDouble(text);
        };
    if (Double.isNaN(v)) {
      assertThat(back).isNaN();
    } else {
      assertThat(back).as(text).isEqualTo(v == 0 ? 0.0 : v); // -0 is written 0
    }
  }

  /**
   * Every double: any bit pattern (subnormals, huge and tiny exponents, NaNs) and the special
   * values, which jqwik's default doubles never give.
   */
  @Provide
  Arbitrary<Double> anyDouble() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble),
        Arbitraries.of(
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY,
            -0.0,
            Double.MIN_VALUE,
            Double.MAX_VALUE,
            1e15,
            -1e15));
  }

  /** The exposition's escapes: {@code \\}, {@code \"}, {@code \n}, as Prometheus reads them. */
  private static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        out.append(n == 'n' ? '\n' : n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
