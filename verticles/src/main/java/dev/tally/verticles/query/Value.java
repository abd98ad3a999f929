package dev.tally.verticles.query;

import java.util.List;

/** What an expression evaluated to over every step. */
sealed interface Value {
  /** A number per step. */
  record Scalar(double[] values) implements Value {}

  /** Series, each with a value per step (or absent there). */
  record Vector(List<Series> series) implements Value {}

  /** A string. */
  record Text(String value) implements Value {}
}
