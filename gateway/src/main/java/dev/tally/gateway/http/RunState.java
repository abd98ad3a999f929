package dev.tally.gateway.http;

import dev.tally.gateway.guard.Liveness;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's run state as the HTTP routes show it: ready or not, the bound listeners, the watch
 * on event loops, the stop's last steps. The gateway writes it, the routes read it. Thread-safe.
 */
public final class RunState {
  private final Map<String, Integer> listeners = new ConcurrentHashMap<>();
  private volatile boolean ready;
  private volatile Drain drain; // set when the gateway stops
  private volatile Liveness liveness; // set when the gateway starts

  /** Records a bound listener ({@code http}, {@code statsd}, ...) and its port. */
  public void listening(String name, int port) {
    listeners.put(name, port);
  }

  public Map<String, Integer> listeners() {
    return Map.copyOf(listeners);
  }

  /** The port of a listener; -1 until it is bound. */
  public int port(String name) {
    return listeners.getOrDefault(name, -1);
  }

  /** The watch on event loops and fatal errors; null before the gateway starts. */
  public Liveness liveness() {
    return liveness;
  }

  public void liveness(Liveness liveness) {
    this.liveness = liveness;
  }

  /** The stop's last steps, for the HTTP listener to follow; null while running. */
  Drain drain() {
    return drain;
  }

  /** Starts following the stop's last steps. */
  public void drain(Drain drain) {
    this.drain = drain;
  }

  /** Marks the gateway ready (every listener bound, every verticle deployed) or not. */
  public void ready(boolean ready) {
    this.ready = ready;
  }

  public boolean isReady() {
    return ready;
  }
}
