package dev.tally.verticles.live;

import dev.tally.verticles.aggregate.SeriesSnapshot;
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
  private final Map<String, NodeTick> peers = new HashMap<>();
  private final Map<String, Long> receivedMillis = new HashMap<>();

  public ClusterTicks(long maxAgeMillis) {
    this.maxAgeMillis = maxAgeMillis;
  }

  /**
   * Takes another node's tick, received at {@code nowMillis} by this node's clock (its age is
   * judged by when it came, not by the other node's clock); one older than what is held of that
   * node is ignored.
   */
  public void peer(NodeTick tick, long nowMillis) {
    NodeTick held = peers.get(tick.node());
    if (held == null || tick.tickMillis() >= held.tickMillis()) {
      peers.put(tick.node(), tick);
      receivedMillis.put(tick.node(), nowMillis);
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
        .values()
        .removeIf(p -> !members.contains(p.node()) || receivedMillis.get(p.node()) < oldest);
    receivedMillis.keySet().retainAll(peers.keySet());
    int n = local.series().size();
    for (NodeTick p : peers.values()) {
      n += p.series().size();
    }
    List<SeriesSnapshot> all = new ArrayList<>(n);
    all.addAll(local.series()); // first: this node's wins a tie
    for (NodeTick p : peers.values()) {
      all.addAll(p.series());
    }
    return TickSnapshot.of(
        local.tickMillis(), all, (a, b) -> b.tickMillis() > a.tickMillis() ? b : a);
  }
}
