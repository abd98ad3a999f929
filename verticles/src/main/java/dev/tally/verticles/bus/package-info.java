/**
 * Stage 2, hand over: event-bus addresses, the local codec and shard routing with bounded queues.
 */
package dev.tally.verticles.bus;
