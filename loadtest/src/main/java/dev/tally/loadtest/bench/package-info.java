/** Micro-benchmarks (JMH) and footprint measurements; see docs/BENCHMARKS.md. */
package dev.tally.loadtest.bench;
