package dev.tally.verticles.trace;

/** A trace id as a map key. */
record TraceKey(long high, long low) {}
