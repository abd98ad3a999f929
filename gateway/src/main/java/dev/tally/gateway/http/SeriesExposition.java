package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.util.List;

/**
 * Renders the user series of a tick (those this node owns, when clustered) as Prometheus text
 * (CONTRACT §2, §3), a piece at a time: families sorted by name, each family's samples together.
 * Two kinds exposed under one family name (a gauge and a set named alike) cannot share it: the
 * first kind in {@link MetricKind} order is shown, the other series are left out and counted in
 * {@link #conflicts()}.
 *
 * <p>A page of 100 000 series is tens of megabytes; built whole, and then copied into a string and
 * a buffer, it took several times that of the heap per scrape (at 130 000 series every scrape of a
 * 512 MiB gateway failed with OutOfMemoryError). {@link #next} writes the following series up to a
 * number of characters, so a scrape holds one piece at a time. Not thread-safe: one scrape calls
 * it, one piece after the other.
 */
final class SeriesExposition {
  private final long tickMillis;
  private final List<SeriesSnapshot> all;
  private int conflicts;
  // the family being written: series [from, to) of kind, the next one at i
  private int to;
  private int i;
  private MetricKind kind;
  private boolean headed;

  /**
   * The page of a tick, whose series are sorted by family, labels and kind and unique per key (see
   * {@link TickSnapshot}): a family's series are neighbours, so each family takes one pass to find
   * its first kind and one to write the series of that kind.
   */
  SeriesExposition(TickSnapshot tick) {
    this.tickMillis = tick.tickMillis();
    this.all = tick.series();
    this.conflicts = tick.conflicts();
  }

  /** The tick rendered. */
  long tickMillis() {
    return tickMillis;
  }

  /** True once every series has been written. */
  boolean done() {
    return i == all.size();
  }

  /**
   * Writes the next series until {@code chars} characters or more are written or none is left; a
   * family may be cut between two pieces, a series is not.
   */
  String next(int chars) {
    StringBuilder sb = new StringBuilder(Math.min(chars, 1 << 20) + 1024);
    PrometheusText out = new PrometheusText(sb);
    while (i < all.size() && sb.length() < chars) {
      if (i == to) {
        String family = all.get(i).family();
        kind = all.get(i).kind();
        for (to = i; to < all.size() && all.get(to).family().equals(family); to++) {
          if (all.get(to).kind().compareTo(kind) < 0) {
            kind = all.get(to).kind();
          }
        }
        headed = false;
      }
      for (; i < to && sb.length() < chars; i++) {
        SeriesSnapshot s = all.get(i);
        if (s.kind() != kind) {
          conflicts++;
          continue;
        }
        if (!headed) {
          out.family(s.family(), PrometheusText.typeName(kind), help(s));
          headed = true;
        }
        write(out, s);
      }
    }
    return sb.toString();
  }

  /** Series left out because their family name is taken by another kind; final once done. */
  int conflicts() {
    return conflicts;
  }

  private static void write(PrometheusText out, SeriesSnapshot s) {
    ExposedSamples.forEach(
        s,
        (name, extraName, extraValue, value) -> {
          if (extraName == null) {
            out.sample(name, s.labels(), value);
          } else {
            out.sample(name, s.labels(), extraName, extraValue, value);
          }
        });
  }

  private static String help(SeriesSnapshot s) {
    if (s.help() != null) {
      return s.help();
    }
    switch (s.kind()) {
      case COUNTER:
        return "StatsD counter " + s.key().name() + ": cumulative sum of value/rate.";
      case GAUGE:
        return "StatsD gauge " + s.key().name() + ": last value.";
      case SET:
        return "StatsD set " + s.key().name() + ": distinct members in the last tick.";
      case TIMER:
        return "StatsD timer " + s.key().name() + " in seconds: quantiles over the sliding window.";
      case DISTRIBUTION:
        return "StatsD distribution " + s.key().name() + ": quantiles over the sliding window.";
      case OTLP_EXPONENTIAL_HISTOGRAM:
        return "OTLP exponential histogram "
            + s.key().name()
            + ": quantiles over the sliding window.";
      default:
        return "OTLP metric " + s.key().name() + ".";
    }
  }
}
