/**
 * PromQL evaluated over the history: selectors read the store, functions, aggregations and
 * operators work on every step of a query at once, each series as an array of step values, with
 * Prometheus' semantics (lookback, staleness, extrapolated rates, vector matching). Bounded in
 * samples and time.
 */
package dev.tally.verticles.query;
