package dev.tally.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Doubles for property tests: the ones jqwik's default doubles never give. */
public final class AnyDoubles {
  private AnyDoubles() {}

  /**
   * Every double: any bit pattern (subnormals, huge and tiny exponents, NaNs) and the special
   * values.
   */
  public static Arbitrary<Double> all() {
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
}
