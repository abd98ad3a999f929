/**
 * Stage 3, aggregate: one shard per verticle, its series and histograms confined to its event loop,
 * immutable snapshots per tick.
 */
package dev.tally.verticles.aggregate;
