package dev.tally.gateway.ingest;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tally.gateway.config.CurrentOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Refuses ingest while the heap is too full, like the OpenTelemetry Collector's memory_limiter.
 * After every garbage collection it sums the heap in use after it. With G1 that includes the
 * old-generation garbage a young collection does not reach (under load, readings of 200 MiB where
 * G1's marking found 80 MiB live), so the guard takes the lowest reading of the last {@link
 * #WINDOW_MILLIS} as its estimate of the live heap: a mixed or full collection in that time shows
 * the live data, and a live set that grows raises every reading. Above {@code memory-limit-percent}
 * of the maximum heap, {@link #refusing()} is true until the estimate is below again. OTLP then
 * answers UNAVAILABLE/503 before reading the request, and StatsD drops datagrams, both counted.
 * While refusing, allocation drops and collections may stop coming, so {@link #collectIfStuck} asks
 * for one at most every {@link #FORCED_GC_INTERVAL_MILLIS}. Thread-safe; {@link #refusing()} is one
 * volatile read.
 */
public final class HeapGuard implements NotificationListener {
  private static final Logger LOG = Logger.getLogger(HeapGuard.class.getName());

  /** The readings the live-heap estimate is the lowest of. */
  static final long WINDOW_MILLIS = 2000;

  /** Shortest time between two collections asked for while refusing. */
  static final long FORCED_GC_INTERVAL_MILLIS = 2000;

  private final CurrentOptions options;
  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private volatile boolean refusing;
  private final ArrayDeque<long[]> readings = new ArrayDeque<>(); // {time, bytes}; guarded by this
  private volatile long afterGc;
  private volatile long maxAfterGc;
  private volatile long liveEstimate;
  private volatile long maxLiveEstimate;
  private volatile long lastGcMillis = System.currentTimeMillis();
  private volatile long lastForcedMillis;

  public HeapGuard(CurrentOptions options) {
    this.options = options;
  }

  /** Starts listening to the JVM's collections. */
  public HeapGuard start() {
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

  /** True while ingest is refused. */
  public boolean refusing() {
    return refusing;
  }

  /** The soft limit in bytes now (the percentage may be reloaded). */
  public long limitBytes() {
    return maxHeap / 100 * options.get().memoryLimitPercent();
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
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    update(used, System.currentTimeMillis());
  }

  /** Takes the heap in use after a collection; called by the JVM's notification thread. */
  synchronized void update(long usedAfterGc, long now) {
    afterGc = usedAfterGc;
    maxAfterGc = Math.max(maxAfterGc, usedAfterGc);
    lastGcMillis = now;
    readings.addLast(new long[] {now, usedAfterGc});
    while (readings.size() > 1 && readings.peekFirst()[0] < now - WINDOW_MILLIS) {
      readings.removeFirst();
    }
    long estimate = Long.MAX_VALUE;
    for (long[] r : readings) {
      estimate = Math.min(estimate, r[1]);
    }
    liveEstimate = estimate;
    maxLiveEstimate = Math.max(maxLiveEstimate, estimate);
    boolean over = estimate > limitBytes();
    if (over != refusing) {
      LOG.warning(
          over
              ? "memory limit: "
                  + estimate / (1 << 20)
                  + " MiB live (estimated from the heap after GC), over the limit of "
                  + limitBytes() / (1 << 20)
                  + " MiB: refusing ingest"
              : "memory limit: "
                  + usedAfterGc / (1 << 20)
                  + " MiB in use after GC: accepting again");
    }
    refusing = over;
  }

  /**
   * Asks for a collection if ingest has been refused since the last one for a while: without
   * traffic nothing else would show that the heap has been freed. Blocking; call on a worker.
   */
  public void collectIfStuck(long now) {
    if (refusing
        && now - lastGcMillis >= FORCED_GC_INTERVAL_MILLIS
        && now - lastForcedMillis >= FORCED_GC_INTERVAL_MILLIS) {
      lastForcedMillis = now;
      System.gc();
    }
  }
}
