/**
 * The log store: OTLP log records and StatsD events within a record count and byte bound that
 * evicts the oldest first; search and an error summary by exception type.
 */
package dev.tally.verticles.logs;
