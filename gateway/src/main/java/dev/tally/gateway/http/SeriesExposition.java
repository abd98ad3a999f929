package dev.tally.gateway.http;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.otlp.OtlpUnits;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Renders the user series of a tick (those this node owns, when clustered) in an {@link
 * ExpositionFormat} (CONTRACT §2, §3), a piece at a time: families sorted by name, each family's
 * samples together. Two kinds exposed under one family name (a gauge and a set named alike) cannot
 * share it: the first kind in {@link MetricKind} order is shown, the other series are left out and
 * counted in {@link #conflicts()}.
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
  private final PageWriter out;
  private int conflicts;
  // the family being written: series [from, to) of kind, the next one at i
  private int from;
  private int to;
  private int i;
  private MetricKind kind;
  private boolean headed;
  // true if some series of the family are exposed as ObserverType.BOTH: a second pass writes
  // their window summaries as a family of their own
  private boolean windowSummaries;
  private boolean secondPass;

  /**
   * The page of a tick, whose series are sorted by family, labels and kind and unique per key (see
   * {@link TickSnapshot}): a family's series are neighbours, so each family takes one pass to find
   * its first kind and one to write the series of that kind (two for timers exposed as both a
   * histogram and quantile gauges).
   */
  SeriesExposition(TickSnapshot tick, ExpositionFormat format) {
    this.out = PageWriter.of(format);
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
    return i == all.size() && (secondPass || !windowSummaries);
  }

  /**
   * Writes the next series until {@code bytes} bytes (characters of text) or more are written or
   * none is left; a family may be cut between two pieces, a series is not.
   */
  Buffer next(int bytes) {
    while (out.size() < bytes) {
      if (i == to) {
        if (windowSummaries && !secondPass) {
          secondPass = true;
          i = from;
          headed = false;
        } else if (to == all.size()) {
          break;
        } else {
          startFamily();
        }
      }
      for (; i < to && out.size() < bytes; i++) {
        SeriesSnapshot s = all.get(i);
        if (s.kind() != kind) {
          conflicts += secondPass ? 0 : 1;
        } else if (!secondPass) {
          if (!headed) {
            out.family(s, s.family(), ExposedSamples.typeName(s), unit(s), help(s));
            headed = true;
          }
          out.series(s);
        } else if (s.observer() == ObserverType.BOTH) {
          if (!headed) {
            out.family(
                null,
                ExposedSamples.summaryFamily(s),
                "summary",
                null, // a unit's name ends the family's name, and this one ends with _window
                "Quantiles of " + s.family() + " over the sliding window.");
            headed = true;
          }
          out.windowSummary(s);
        }
      }
    }
    return out.piece();
  }

  /** The end of the page: see {@link PageWriter#tail}. Not on an event loop. */
  Buffer tail(List<Map<String, String>> alerts, PrometheusMeterRegistry meters) throws IOException {
    return out.tail(alerts, meters);
  }

  /**
   * The unit of the family of {@code s}: seconds for timers named so (a mapping file's names are as
   * written, and OpenMetrics wants a unit to end the name), the unit an OTLP metric's name got from
   * its unit, else none known.
   */
  private static String unit(SeriesSnapshot s) {
    if (s.kind() == MetricKind.TIMER) {
      return s.family().endsWith("_seconds") ? "seconds" : null;
    }
    if (!s.kind().isOtlp()) {
      return null;
    }
    String family = s.family();
    if (s.kind() == MetricKind.OTLP_COUNTER && family.endsWith("_total")) {
      family = family.substring(0, family.length() - "_total".length());
    }
    return OtlpUnits.unitOf(family);
  }

  /** Finds the family that starts at {@link #i}: its end, and its first kind. */
  private void startFamily() {
    from = i;
    String family = all.get(i).family();
    kind = all.get(i).kind();
    for (to = i; to < all.size() && all.get(to).family().equals(family); to++) {
      if (all.get(to).kind().compareTo(kind) < 0) {
        kind = all.get(to).kind();
      }
    }
    windowSummaries = false;
    for (int k = from; k < to; k++) {
      windowSummaries |= all.get(k).kind() == kind && all.get(k).observer() == ObserverType.BOTH;
    }
    secondPass = false;
    headed = false;
  }

  /** Series left out because their family name is taken by another kind; final once done. */
  int conflicts() {
    return conflicts;
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
        return "StatsD timer "
            + s.key().name()
            + (ExposedSamples.isHistogram(s)
                ? " in seconds: cumulative buckets."
                : " in seconds: quantiles over the sliding window.");
      case DISTRIBUTION:
        return "StatsD distribution "
            + s.key().name()
            + (ExposedSamples.isHistogram(s)
                ? ": cumulative buckets."
                : ": quantiles over the sliding window.");
      case OTLP_EXPONENTIAL_HISTOGRAM:
        return "OTLP exponential histogram "
            + s.key().name()
            + ": quantiles over the sliding window.";
      default:
        return "OTLP metric " + s.key().name() + ".";
    }
  }
}
