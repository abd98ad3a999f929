package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The series limits, shared by every shard: a global one and one per metric name (a name's series
 * are spread over the shards). A new series takes a place in both or in neither. The limits may be
 * changed at run time (a reload); series above a lowered limit stay until they expire. Thread-safe:
 * the count per name changes only when a series is created or removed, never per sample.
 */
public final class SeriesLimiter implements MeterBinder {
  private final AtomicInteger used = new AtomicInteger();
  private final ConcurrentHashMap<String, AtomicInteger> byName = new ConcurrentHashMap<>();
  private volatile int max;
  private volatile int maxPerMetric;
  private volatile Predicate<String> reserved = family -> false;

  /** A global limit of {@code max} series, which any one metric name may use whole. */
  public SeriesLimiter(int max) {
    this(max, max);
  }

  /**
   * @param max the most series over all shards, at least 1
   * @param maxPerMetric the most series of one metric name, at least 1
   */
  public SeriesLimiter(int max, int maxPerMetric) {
    setLimits(max, maxPerMetric);
  }

  /** Both limits at once; places already taken are kept. */
  public void setLimits(int max, int maxPerMetric) {
    if (max < 1 || maxPerMetric < 1) {
      throw new IllegalArgumentException(
          "limits must be >= 1, were " + max + " and " + maxPerMetric);
    }
    this.max = max;
    this.maxPerMetric = maxPerMetric;
  }

  /** Sets the family names no user series may take: those of Tally's own page (none until set). */
  public void reserve(Predicate<String> families) {
    this.reserved = families;
  }

  /** The family names no user series may take now. */
  public Predicate<String> reservedFamilies() {
    return reserved;
  }

  /**
   * True if {@code family}, the family name of a series of {@code key}, is one of Tally's own (its
   * own page uses it).
   */
  public boolean reserved(SeriesKey key, String family) {
    if (key.kind() == MetricKind.OTLP_GAUGE && key.name().equals("target_info")) {
      return false; // made of OTLP resources, as Prometheus' OTLP receiver makes it
    }
    return reserved.test(family);
  }

  /** Takes a place for a new series of {@code name}; false if either limit is reached. */
  public boolean tryAcquire(String name) {
    AtomicInteger current = byName.get(name);
    if (current != null && current.get() >= maxPerMetric) {
      return false; // the common case of an overflowing metric: no lock, no shared write
    }
    if (used.get() >= max) {
      return false; // at the global limit: no shared write either
    }
    if (used.incrementAndGet() > max) {
      used.decrementAndGet();
      return false;
    }
    boolean[] taken = new boolean[1];
    byName.compute(
        name,
        (n, count) -> {
          AtomicInteger c = count == null ? new AtomicInteger() : count;
          if (c.get() < maxPerMetric) {
            c.incrementAndGet();
            taken[0] = true;
          }
          return c.get() == 0 ? null : c;
        });
    if (!taken[0]) {
      used.decrementAndGet();
    }
    return taken[0];
  }

  /** Gives back the place of a removed series of {@code name}. */
  public void release(String name) {
    used.decrementAndGet();
    byName.computeIfPresent(name, (n, c) -> c.decrementAndGet() == 0 ? null : c);
  }

  public int max() {
    return max;
  }

  public int maxPerMetric() {
    return maxPerMetric;
  }

  /** Series within the limits now, over all names. */
  public int used() {
    return used.get();
  }

  /** Metric names with a series now. */
  public int metrics() {
    return byName.size();
  }

  /** The {@code n} metric names with the most series, most first (ties by name). */
  public List<Map.Entry<String, Integer>> top(int n) {
    Comparator<Map.Entry<String, Integer>> order =
        Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed());
    PriorityQueue<Map.Entry<String, Integer>> heap = new PriorityQueue<>(order);
    for (Map.Entry<String, AtomicInteger> e : byName.entrySet()) {
      heap.add(Map.entry(e.getKey(), e.getValue().get()));
      if (heap.size() > n) {
        heap.poll();
      }
    }
    List<Map.Entry<String, Integer>> out = new ArrayList<>(heap);
    out.sort(order.reversed());
    return out;
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(
        r, "tally_series_limit", "The series limit (max-series).", this, SeriesLimiter::max);
    SelfMeters.gauge(
        r,
        "tally_series_limit_per_metric",
        "The series limit of one metric name (max-series-per-metric).",
        this,
        SeriesLimiter::maxPerMetric);
  }
}
