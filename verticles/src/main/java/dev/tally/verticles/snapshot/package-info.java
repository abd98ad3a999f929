/**
 * What a tick shows: each series' {@link dev.tally.verticles.snapshot.SeriesSnapshot} under its
 * {@link dev.tally.verticles.snapshot.SeriesName}, and the {@link
 * dev.tally.verticles.snapshot.TickSnapshot} of all of them, sorted by family, labels and kind. The
 * model every stage after aggregation reads (live feed, alerts, exposition, cluster), as {@code
 * protocol.model} is the one every stage before it reads. Immutable values only.
 */
package dev.tally.verticles.snapshot;
