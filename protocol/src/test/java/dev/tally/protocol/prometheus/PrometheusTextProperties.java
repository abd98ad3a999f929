package dev.tally.protocol.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.AnyDoubles;
import java.util.Map;
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

  @Provide
  Arbitrary<Double> anyDouble() {
    return AnyDoubles.all();
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
