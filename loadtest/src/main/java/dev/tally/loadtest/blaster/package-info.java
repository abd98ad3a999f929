/** The StatsD UDP blaster: a runnable load generator for a gateway's StatsD port. */
package dev.tally.loadtest.blaster;
