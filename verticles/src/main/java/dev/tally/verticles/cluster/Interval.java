package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;

/**
 * What a series gathers for the node that owns it while another node does: the shard gives a series
 * one when it starts forwarding, {@linkplain #drain drains} it into a {@link SeriesDelta} at every
 * tick, and drops it when this node owns the series again (what is left goes back into the series).
 * One kind per kind of series; a series that is not forwarding holds none. Confined to the series'
 * shard.
 */
public abstract class Interval {
  Interval() {}

  /** What was gathered since the last drain, for the owner, and forgets it; null if nothing. */
  public abstract SeriesDelta drain(SeriesKey key, String help);
}
