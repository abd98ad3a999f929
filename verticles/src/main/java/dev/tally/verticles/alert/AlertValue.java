package dev.tally.verticles.alert;

import dev.tally.verticles.snapshot.SeriesSnapshot;
import java.util.Locale;

/** What a rule compares: one value of a series, as the live feed shows it (timers in seconds). */
public enum AlertValue {
  VALUE(Double.NaN),
  RATE(Double.NaN),
  COUNT(Double.NaN),
  SUM(Double.NaN),
  MIN(Double.NaN),
  MAX(Double.NaN),
  P50(0.5),
  P90(0.9),
  P95(0.95),
  P99(0.99),
  P999(0.999),
  /** The sum of the numerator's values over the sum of the denominator's ({@code rate} of each). */
  RATIO(Double.NaN);

  private final double level;

  AlertValue(double level) {
    this.level = level;
  }

  /** The value of {@code s}; NaN if the series has none of this kind. */
  public double of(SeriesSnapshot s) {
    switch (this) {
      case VALUE:
        return s.value();
      case RATE:
      case RATIO:
        return s.rate();
      case COUNT:
        return s.count();
      case SUM:
        return s.sum() / s.unitDivisor();
      case MIN:
        return s.min() / s.unitDivisor();
      case MAX:
        return s.max() / s.unitDivisor();
      default:
        return s.quantileAt(level);
    }
  }

  /** The name in rules ({@code p99}). */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value named {@code label}, or null. */
  static AlertValue of(String label) {
    for (AlertValue v : values()) {
      if (v.label().equals(label)) {
        return v;
      }
    }
    return null;
  }
}
