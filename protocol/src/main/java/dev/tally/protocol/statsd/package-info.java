/**
 * Stage 1, parse: the StatsD/DogStatsD line parser and the raw series keys it produces. No Vert.x
 * beyond {@code Buffer}.
 */
package dev.tally.protocol.statsd;
