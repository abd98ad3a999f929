/**
 * The pipeline's own counters, shared by ingest and shards, read by {@code /metrics} and {@code
 * /health}.
 */
package dev.tally.verticles.stats;
