/** Stage 4, expose: the Prometheus text exposition writer and name rules. */
package dev.tally.protocol.prometheus;
