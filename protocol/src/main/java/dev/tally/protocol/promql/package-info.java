/**
 * PromQL as text: label sets and matchers, the lexer and parser that turn a query into an
 * expression tree ({@link dev.tally.protocol.promql.Expr}), and the formats of Prometheus' HTTP API
 * (durations, times, Go's float text). Evaluation is in {@code verticles.query}.
 */
package dev.tally.protocol.promql;
