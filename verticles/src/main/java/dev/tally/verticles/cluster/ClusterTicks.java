package dev.tally.verticles.cluster;

import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The global view of a cluster at each tick of this node: its own series (those it owns, with
 * values gathered over the whole cluster) and the latest {@link NodeTick} of every other member. A
 * member's series are shown until it leaves the ring or its latest tick came more than {@code
 * maxAgeMillis} before this node's tick. A key shown by two nodes (for a tick when its owner
 * changes) is taken from the series that changed last ({@code SeriesSnapshot.tickMillis}), this
 * node's on a tie. Confined to one thread.
 *
 * <p>Other nodes' values are those of their latest published tick: the same tick as this node's, or
 * the one before when theirs has not arrived yet.
 */
public final class ClusterTicks {
  private final long maxAgeMillis;
  private final Map<String, Held> peers = new HashMap<>();

  /** A node's latest tick and when this node received it (by this node's clock). */
  private record Held(NodeTick tick, long receivedMillis) {}

  public ClusterTicks(long maxAgeMillis) {
    this.maxAgeMillis = maxAgeMillis;
  }

  /**
   * Takes another node's tick, received at {@code nowMillis} by this node's clock (its age is
   * judged by when it came, not by the other node's clock); one older than what is held of that
   * node is ignored.
   */
  public void peer(NodeTick tick, long nowMillis) {
    Held held = peers.get(tick.node());
    if (held == null || tick.tickMillis() >= held.tick().tickMillis()) {
      peers.put(tick.node(), new Held(tick, nowMillis));
    }
  }

  /** The nodes whose series are held. */
  public int peers() {
    return peers.size();
  }

  /**
   * The global tick at this node's tick {@code local}: its series and those of the other {@code
   * members}' latest ticks; forgets the nodes that are not members or have gone quiet.
   */
  public TickSnapshot global(TickSnapshot local, Collection<String> members) {
    long oldest = local.tickMillis() - maxAgeMillis;
    peers
        .entrySet()
        .removeIf(e -> !members.contains(e.getKey()) || e.getValue().receivedMillis() < oldest);
    int n = local.series().size();
    for (Held p : peers.values()) {
      n += p.tick().series().size();
    }
    List<SeriesSnapshot> all = new ArrayList<>(n);
    all.addAll(local.series()); // first: this node's wins a tie
    for (Held p : peers.values()) {
      all.addAll(p.tick().series());
    }
    return TickSnapshot.of(
        local.tickMillis(), all, (a, b) -> b.tickMillis() > a.tickMillis() ? b : a);
  }
}
