/**
 * Publish stage, live feed: assembles the shards' snapshots into one view per tick, keeps a bounded
 * history per series, and fans each tick out to subscribed clients (SSE and WebSocket), encoding
 * one JSON frame per distinct subscription and coalescing frames for slow clients (CONTRACT §7,
 * DESIGN §5). Logic only: the HTTP routes are wired in {@code dev.tally.gateway.http}.
 */
package dev.tally.verticles.live;
