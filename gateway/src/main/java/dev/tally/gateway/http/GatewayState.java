package dev.tally.gateway.http;

import dev.tally.gateway.ingest.RejectedLines;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.live.LiveStats;
import dev.tally.verticles.stats.PipelineStats;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the HTTP routes read of the rest of the gateway: pipeline counters, shard queues, rejected
 * lines, bound listeners and readiness. Thread-safe.
 */
public final class GatewayState {
  final PipelineStats stats;
  final ShardRouter router;
  final RejectedLines rejected;
  final int seriesLimit;
  final long tickMillis;
  final LiveStats live = new LiveStats();

  /** Vert.x and JVM meters, appended to {@code /metrics}; null if the Vert.x has none. */
  final PrometheusMeterRegistry meters;

  private final Map<String, Integer> listeners = new ConcurrentHashMap<>();
  private volatile boolean ready;

  public GatewayState(
      PipelineStats stats,
      ShardRouter router,
      RejectedLines rejected,
      int seriesLimit,
      long tickMillis,
      PrometheusMeterRegistry meters) {
    this.meters = meters;
    this.stats = stats;
    this.router = router;
    this.rejected = rejected;
    this.seriesLimit = seriesLimit;
    this.tickMillis = tickMillis;
  }

  /** Records a bound listener ({@code http}, {@code statsd}, ...) and its port. */
  public void listening(String name, int port) {
    listeners.put(name, port);
  }

  public PipelineStats stats() {
    return stats;
  }

  public ShardRouter router() {
    return router;
  }

  public RejectedLines rejected() {
    return rejected;
  }

  public Map<String, Integer> listeners() {
    return Map.copyOf(listeners);
  }

  /** The StatsD port; -1 until the sockets are bound. */
  int statsdPort() {
    return listeners.getOrDefault("statsd", -1);
  }

  /** Marks the gateway ready (every listener bound, every verticle deployed) or not. */
  public void ready(boolean ready) {
    this.ready = ready;
  }

  public boolean isReady() {
    return ready;
  }
}
