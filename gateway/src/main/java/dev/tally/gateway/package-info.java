/** Wiring: {@code main}, and the gateway that deploys shards, HTTP and ingest in order. */
package dev.tally.gateway;
