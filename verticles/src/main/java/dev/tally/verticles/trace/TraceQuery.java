package dev.tally.verticles.trace;

/**
 * What {@code GET /api/traces} asks for; null or 0 fields match everything.
 *
 * @param service a service one of the trace's spans belongs to
 * @param minDurationNanos the shortest trace
 * @param error true for traces with an error span, false for those without, null for both
 * @param sinceNanos the earliest trace start, epoch nanoseconds; 0 for any
 * @param untilNanos the latest trace start; {@link Long#MAX_VALUE} for any
 * @param limit the most traces returned, newest first
 */
public record TraceQuery(
    String service,
    long minDurationNanos,
    Boolean error,
    long sinceNanos,
    long untilNanos,
    int limit) {

  boolean matches(StoredTrace t) {
    return t.durationNanos() >= minDurationNanos
        && t.startNanos >= sinceNanos
        && t.startNanos <= untilNanos
        && (error == null || error == (t.errors > 0))
        && (service == null || t.hasService(service));
  }
}
