/**
 * The trace store: spans grouped by trace, kept when they are errors, slow, or sampled, within a
 * span count and byte bound that evicts the oldest traces first; queries and span trees.
 */
package dev.tally.verticles.trace;
