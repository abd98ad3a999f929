/**
 * The data model shared by every stage: series keys, metric kinds, reject reasons and the per-shard
 * sample batch.
 */
package dev.tally.protocol.model;
