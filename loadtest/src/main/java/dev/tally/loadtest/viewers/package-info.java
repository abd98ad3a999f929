/** Load tools for the live feed: many SSE and WebSocket viewers, with tick-to-client latency. */
package dev.tally.loadtest.viewers;
