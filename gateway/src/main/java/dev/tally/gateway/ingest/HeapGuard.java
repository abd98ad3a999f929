package dev.tally.gateway.ingest;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.tally.gateway.config.CurrentOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
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
 * Refuses ingest while the heap is too full, like the OpenTelemetry Collector's memory_limiter:
 * after every garbage collection it sums the heap in use after it (live data plus what that
 * collection did not reach); above {@code memory-limit-percent} of the maximum heap, {@link
 * #refusing()} is true until a later collection brings it below again. OTLP then answers
 * UNAVAILABLE/503 before reading the request, and StatsD drops datagrams, both counted. While
 * refusing, allocation drops and collections may stop coming, so {@link #collectIfStuck} asks for
 * one at most every {@link #FORCED_GC_INTERVAL_MILLIS}. Thread-safe; {@link #refusing()} is one
 * volatile read.
 */
public final class HeapGuard implements NotificationListener {
  private static final Logger LOG = Logger.getLogger(HeapGuard.class.getName());

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
  private volatile long afterGc;
  private volatile long maxAfterGc;
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
    boolean over = usedAfterGc > limitBytes();
    if (over != refusing) {
      LOG.warning(
          over
              ? "memory limit: "
                  + usedAfterGc / (1 << 20)
                  + " MiB in use after GC, over the limit of "
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
