package dev.tally.gateway.guard;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tally.gateway.config.CurrentOptions;
import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Refuses ingest while the heap is too full, like the OpenTelemetry Collector's memory_limiter,
 * without ever asking for a collection.
 *
 * <p>Its estimate of the live heap comes from the JVM's collections. The heap in use after a young
 * collection also holds the old generation's garbage, which only a collection of the old generation
 * reclaims (G1's mixed collections after a marking, or a full collection): 135 MiB were read when
 * 24.6 MiB were live. So the guard counts the old generation as it was after its last collection
 * (the pool's collection usage, which G1 updates only when it collects old regions) and the young
 * generation as it is after the latest collection: {@code young and survivors now + old after its
 * last collection}, or the heap in use after the latest collection if that is less. Between two old
 * collections this does not see live data promoted meanwhile, but G1 starts marking when the old
 * generation passes its initiating occupancy (at most 90 % of the heap by default), so a fresh
 * reading comes before the heap fills; and the raw reading alone refuses ingest above {@link
 * #hardLimitBytes()}, halfway between the limit and the maximum heap. With a collector without an
 * old generation (ZGC, Shenandoah) every collection is whole and its reading is the estimate.
 *
 * <p>Above {@code memory-limit-percent} of the maximum heap, {@link #refusing()} is true until the
 * estimate is below again: OTLP answers UNAVAILABLE/503 before reading the request, and StatsD
 * drops datagrams, both counted. While refusing, allocation drops and collections may stop coming,
 * so {@link #sample} takes the heap in use now, every second: it is an upper bound of the live heap
 * too, so memory freed (series expired, clients gone, a limit raised) lets ingest in without a
 * collection. Thread-safe; {@link #refusing()} is one volatile read.
 */
public final class HeapGuard implements NotificationListener, MeterBinder {
  private static final Logger LOG = Logger.getLogger(HeapGuard.class.getName());

  private final CurrentOptions options;
  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private final List<MemoryPoolMXBean> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .collect(Collectors.toUnmodifiableList());
  private final MemoryPoolMXBean oldPool = oldPool(heapPools); // null: no old generation
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private volatile boolean refusing;
  private MemoryUsage oldSeen; // the old pool's collection usage last seen; guarded by this
  private long oldAfterCollection = -1; // the old generation after its last collection, or -1
  private volatile long afterGc;
  private volatile long maxAfterGc;
  private volatile long liveEstimate;
  private volatile long maxLiveEstimate;

  private volatile boolean warmingUp;

  public HeapGuard(CurrentOptions options) {
    this.options = options;
  }

  /** The pool of a generational collector's old generation, or null. */
  private static MemoryPoolMXBean oldPool(List<MemoryPoolMXBean> pools) {
    for (MemoryPoolMXBean p : pools) {
      if (p.isCollectionUsageThresholdSupported()
          && (p.getName().contains("Old") || p.getName().contains("Tenured"))) {
        return p;
      }
    }
    return null;
  }

  /** Starts listening to the JVM's collections. */
  public HeapGuard start() {
    synchronized (this) {
      oldSeen = oldPool == null ? null : oldPool.getCollectionUsage();
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        ((NotificationEmitter) gc).addNotificationListener(this, null, null);
        emitters.add((NotificationEmitter) gc);
      }
    }
    return this;
  }

  public void stop() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(this);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
    emitters.clear();
    refusing = false;
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(
        r,
        "tally_memory_limit_bytes",
        "Live heap (estimated) above which ingest is refused (memory-limit-percent of the maximum heap).",
        this,
        HeapGuard::limitBytes);
    SelfMeters.gauge(
        r,
        "tally_memory_after_gc_bytes",
        "Heap in use after the last garbage collection.",
        this,
        HeapGuard::afterGcBytes);
    SelfMeters.gauge(
        r,
        "tally_memory_after_gc_max_bytes",
        "The most heap in use after a garbage collection since start.",
        this,
        HeapGuard::maxAfterGcBytes);
    SelfMeters.gauge(
        r,
        "tally_memory_live_estimate_bytes",
        "The heap guard's estimate of the live heap: the young generation after the latest collection and the old generation after its last collection (or the heap in use after the latest collection, or now, if less).",
        this,
        HeapGuard::liveEstimateBytes);
    SelfMeters.gauge(
        r,
        "tally_memory_live_estimate_max_bytes",
        "The highest live-heap estimate since start.",
        this,
        HeapGuard::maxLiveEstimateBytes);
    SelfMeters.gauge(
        r,
        "tally_memory_limited",
        "1 while ingest is refused because the heap is over the memory limit, else 0.",
        this,
        g -> g.refusing() ? 1 : 0);
  }

  /** True while ingest is refused. */
  public boolean refusing() {
    return refusing;
  }

  /** The soft limit in bytes now (the percentage may be reloaded). */
  public long limitBytes() {
    return maxHeap / 100 * options.get().memoryLimitPercent();
  }

  /**
   * Halfway between the limit and the maximum heap: above it, the heap in use after a collection
   * refuses ingest whatever the estimate, which may not have seen data promoted since the old
   * generation's last collection.
   */
  public long hardLimitBytes() {
    long limit = limitBytes();
    return limit + (maxHeap - limit) / 2;
  }

  /** Heap in use after the last collection. */
  public long afterGcBytes() {
    return afterGc;
  }

  /** The most heap in use after a collection seen since start. */
  public long maxAfterGcBytes() {
    return maxAfterGc;
  }

  /** The live-heap estimate the guard compares with the limit. */
  public long liveEstimateBytes() {
    return liveEstimate;
  }

  /** The highest live-heap estimate since start. */
  public long maxLiveEstimateBytes() {
    return maxLiveEstimate;
  }

  @Override
  public void handleNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    Map<String, MemoryUsage> after =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
            .getGcInfo()
            .getMemoryUsageAfterGc();
    long used = 0;
    for (MemoryPoolMXBean p : heapPools) {
      MemoryUsage u = after.get(p.getName());
      used += u == null ? 0 : u.getUsed();
    }
    if (oldPool == null) {
      update(used, 0, -1);
      return;
    }
    MemoryUsage old = after.get(oldPool.getName());
    long oldCollected = -1;
    MemoryUsage collection = oldPool.getCollectionUsage(); // changes when old regions are collected
    synchronized (this) {
      if (collection != null && !same(collection, oldSeen)) {
        oldSeen = collection;
        oldCollected = collection.getUsed();
      }
    }
    update(used, old == null ? 0 : old.getUsed(), oldCollected);
  }

  private static boolean same(MemoryUsage a, MemoryUsage b) {
    return b != null && a.getUsed() == b.getUsed() && a.getCommitted() == b.getCommitted();
  }

  /**
   * Takes a collection: the heap in use after it, of which {@code oldAfter} in the old generation;
   * {@code oldCollected} is the old generation after this collection if it collected old regions,
   * else -1. Called by the JVM's notification thread.
   */
  synchronized void update(long usedAfter, long oldAfter, long oldCollected) {
    if (oldCollected >= 0) {
      oldAfterCollection = oldCollected;
    }
    afterGc = usedAfter;
    maxAfterGc = Math.max(maxAfterGc, usedAfter);
    long estimate =
        oldAfterCollection < 0
            ? usedAfter
            : Math.min(usedAfter, usedAfter - oldAfter + oldAfterCollection);
    judge(estimate, usedAfter);
  }

  /**
   * Takes the heap in use now, read every second: an upper bound of the live heap, which lowers the
   * estimate (and lets ingest in) when memory was freed while no collection came.
   */
  public synchronized void sample(long usedNow) {
    if (maxAfterGc == 0) { // no collection yet
      judge(usedNow, usedNow);
    } else {
      judge(Math.min(liveEstimate, usedNow), Math.min(afterGc, usedNow));
    }
  }

  /** Reads the heap in use now and {@link #sample}s it. */
  public void sample() {
    long used = 0;
    for (MemoryPoolMXBean p : heapPools) {
      used += p.getUsage().getUsed();
    }
    sample(used);
  }

  /**
   * While the StatsD warm-up runs, its own garbage may take the heap over the limit (on a small
   * heap): the guard refuses as ever (only synthetic traffic reaches it), but says so at {@code
   * FINE}, not as a warning in every start-up's log.
   */
  public void warmingUp(boolean warmingUp) {
    this.warmingUp = warmingUp;
  }

  private void judge(long estimate, long raw) {
    liveEstimate = estimate;
    maxLiveEstimate = Math.max(maxLiveEstimate, estimate);
    boolean over = estimate > limitBytes() || raw > hardLimitBytes();
    if (over != refusing) {
      // refusing is a warning; accepting again, news
      LOG.log(
          warmingUp ? Level.FINE : over ? Level.WARNING : Level.INFO,
          over
              ? "memory limit: "
                  + estimate / (1 << 20)
                  + " MiB live (estimated), "
                  + raw / (1 << 20)
                  + " MiB in use, over the limit of "
                  + limitBytes() / (1 << 20)
                  + " MiB (or "
                  + hardLimitBytes() / (1 << 20)
                  + " MiB in use): refusing ingest"
              : "memory limit: " + estimate / (1 << 20) + " MiB live (estimated): accepting again");
    }
    refusing = over;
  }
}
