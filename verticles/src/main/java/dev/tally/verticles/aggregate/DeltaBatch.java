package dev.tally.verticles.aggregate;

import java.util.List;

/**
 * The deltas one node sends another at one tick (the series it gathered that the other owns), or a
 * shard's share of them. Immutable.
 *
 * @param from the sending node's id
 * @param tickMillis the tick they were gathered in
 */
public record DeltaBatch(String from, long tickMillis, List<SeriesDelta> deltas) {
  public DeltaBatch {
    deltas = List.copyOf(deltas);
  }
}
