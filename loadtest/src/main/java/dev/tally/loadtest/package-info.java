/** Load tools and benchmarks: what they share. */
package dev.tally.loadtest;
