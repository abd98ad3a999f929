package dev.tally.protocol.model;

/** Hash mixing shared by the routing hashes of every protocol. */
public final class Hashes {
  private Hashes() {}

  /** The finalizer of MurmurHash3: spreads every input bit over the whole hash. */
  public static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
