package dev.tally.verticles.live;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The recent values of the series, for backfill and {@code GET /api/series/{key}}: a ring of the
 * last {@code points} ticks per series, for at most {@code maxSeries} series (the first ones seen;
 * a slot frees when its series leaves). Memory is bounded by {@code maxSeries × points × (1 +
 * fields) × 8} bytes, fields being at most 9 (timers): 1 000 series × 300 points ≤ 24 MB. Confined
 * to one thread.
 */
final class History {
  private final int maxSeries;
  private final int points;
  private final Map<SeriesKey, Ring> rings = new HashMap<>();

  History(int maxSeries, int points) {
    this.maxSeries = maxSeries;
    this.points = points;
  }

  /** Appends every series' values at this tick; forgets the series that are gone. */
  void record(TickSnapshot tick) {
    long t = tick.tickMillis();
    for (SeriesSnapshot s : tick.series()) {
      Ring r = rings.get(s.key());
      if (r == null && rings.size() < maxSeries) {
        r = new Ring(s, points);
        rings.put(s.key(), r);
      }
      if (r != null) {
        r.add(t, s);
      }
    }
    for (Iterator<Ring> it = rings.values().iterator(); it.hasNext(); ) {
      if (it.next().lastTick() != t) {
        it.remove(); // not in this tick: the series has expired
      }
    }
  }

  /** The ring of a series, or null if it has no history. */
  Ring ring(SeriesKey key) {
    return rings.get(key);
  }

  /** The ring whose series has this live key, or null. */
  Ring ring(String liveKey) {
    for (Ring r : rings.values()) {
      if (r.liveKey.equals(liveKey)) {
        return r;
      }
    }
    return null;
  }

  int size() {
    return rings.size();
  }

  /** The last points of one series, oldest first. */
  static final class Ring {
    final String liveKey;
    final Fields fields;
    private SeriesSnapshot latest;
    private final long[] ticks;
    private final double[] values;
    private int next;
    private int size;

    Ring(SeriesSnapshot s, int points) {
      this.liveKey = LiveJson.key(s);
      this.fields = Fields.of(s.kind());
      this.ticks = new long[points];
      this.values = new double[points * fields.names.length];
    }

    void add(long tick, SeriesSnapshot s) {
      latest = s;
      ticks[next] = tick;
      fields.values(s, values, next * fields.names.length);
      next = (next + 1) % ticks.length;
      size = Math.min(size + 1, ticks.length);
    }

    long lastTick() {
      return size == 0 ? Long.MIN_VALUE : ticks[(next - 1 + ticks.length) % ticks.length];
    }

    SeriesSnapshot latest() {
      return latest;
    }

    /**
     * Writes {@code {identity,"points":[{"ts":..,values..},...]}} with the points after {@code
     * afterMillis}, oldest first.
     */
    void write(StringBuilder sb, long afterMillis) {
      sb.append('{');
      LiveJson.identity(sb, latest);
      sb.append(",\"points\":[");
      boolean first = true;
      for (int i = 0; i < size; i++) {
        int at = (next - size + i + ticks.length) % ticks.length;
        if (ticks[at] <= afterMillis) {
          continue;
        }
        sb.append(first ? "{\"ts\":" : ",{\"ts\":").append(ticks[at]);
        LiveJson.fields(sb, fields, values, at * fields.names.length);
        sb.append('}');
        first = false;
      }
      sb.append("]}");
    }
  }
}
