/** Stage 4, serve: {@code /metrics}, health and the debug API from the latest shard snapshots. */
package dev.tally.gateway.http;
