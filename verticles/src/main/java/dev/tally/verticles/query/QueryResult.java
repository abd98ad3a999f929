package dev.tally.verticles.query;

import dev.tally.protocol.promql.Labels;
import java.util.List;

/** What a query answers, in the shapes of Prometheus' API ({@code resultType}). */
public sealed interface QueryResult {
  /** A series' points: times (epoch ms) and values. */
  record Points(Labels labels, long[] times, double[] values) {}

  /** A number at a time. */
  record Scalar(long time, double value) implements QueryResult {}

  /** A string at a time. */
  record Text(long time, String value) implements QueryResult {}

  /** An instant vector: one point per series. */
  record Vector(List<Points> series) implements QueryResult {}

  /** A range vector: points per series, sorted by labels. */
  record Matrix(List<Points> series) implements QueryResult {}
}
