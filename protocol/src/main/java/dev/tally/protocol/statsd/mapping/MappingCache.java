package dev.tally.protocol.statsd.mapping;

import java.util.HashMap;
import java.util.Map;

/**
 * The results of one {@link Mappings} by name and type, for one thread (a shard): a name sent with
 * many tag sets, or dropped, is mapped once. Bounded: when full it starts again empty, which costs
 * a burst of lookups and no bookkeeping per hit (statsd_exporter caches results the same way, by
 * LRU or at random). Not thread-safe.
 */
public final class MappingCache {
  /** Names kept by default: 10 000 per cache. */
  public static final int DEFAULT_SIZE = 10_000;

  private final Mappings mappings;
  private final int size;
  private final Map<String, Mapped>[] byType;
  private int entries;

  @SuppressWarnings("unchecked")
  public MappingCache(Mappings mappings, int size) {
    this.mappings = mappings;
    this.size = size;
    this.byType = new Map[MatchType.values().length];
    for (int i = 0; i < byType.length; i++) {
      byType[i] = new HashMap<>();
    }
  }

  /** {@link Mappings#map}, from the cache when the name was mapped before. */
  public Mapped map(String name, MatchType type) {
    Map<String, Mapped> cache = byType[type.ordinal()];
    Mapped m = cache.get(name);
    if (m == null) {
      m = mappings.map(name, type);
      if (entries >= size) {
        for (Map<String, Mapped> c : byType) {
          c.clear();
        }
        entries = 0;
      }
      cache.put(name, m);
      entries++;
    }
    return m;
  }
}
