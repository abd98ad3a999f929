package dev.tally.verticles.cluster;

import java.util.List;

/**
 * Which member owns a series: rendezvous (highest random weight) hashing of the series' hash with
 * each member's id, the same on every node for the same members. When a member joins or leaves,
 * only the series it gains or owned move. Immutable.
 */
public final class OwnerRing {
  private final List<String> members;
  private final long[] memberHashes;

  /**
   * @param members the members' ids, in any order; not empty
   */
  public OwnerRing(List<String> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a ring needs a member");
    }
    this.members = List.copyOf(members);
    this.memberHashes = new long[members.size()];
    for (int i = 0; i < memberHashes.length; i++) {
      memberHashes[i] = mix(members.get(i).hashCode() * 0x9E3779B97F4A7C15L);
    }
  }

  /** The owner of the series with this hash. */
  public String owner(int seriesHash) {
    int best = 0;
    long bestWeight = Long.MIN_VALUE;
    for (int i = 0; i < memberHashes.length; i++) {
      long w = mix(memberHashes[i] ^ seriesHash);
      if (w > bestWeight || (w == bestWeight && members.get(i).compareTo(members.get(best)) < 0)) {
        bestWeight = w;
        best = i;
      }
    }
    return members.get(best);
  }

  public List<String> members() {
    return members;
  }

  /** A 64-bit finalizer (SplitMix64's): every input bit moves every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
