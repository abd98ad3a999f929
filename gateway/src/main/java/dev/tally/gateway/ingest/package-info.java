/**
 * Stage 1, ingest: StatsD UDP sockets on the event loops, batching per read turn, rejected lines
 * and kernel drops.
 */
package dev.tally.gateway.ingest;
