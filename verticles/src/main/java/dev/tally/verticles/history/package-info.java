/**
 * History on disk: every series' samples at the history resolution, in a head of compressed chunks
 * backed by a write-ahead log and in immutable hourly blocks, kept for the retention and within a
 * byte bound; read by the PromQL engine.
 */
package dev.tally.verticles.history;
