package dev.tally.gateway.guard;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the process is still alive in a useful way, for {@code /health/live}: every event loop
 * runs a tiny task each second, so a loop that is stuck or dead shows as one whose task has not run
 * for {@link #STUCK_MILLIS}; and an {@link OutOfMemoryError} (or any {@link VirtualMachineError})
 * that reached Vert.x or a thread's top marks the process as broken for good. Either fails the
 * liveness check, so that a supervisor restarts the process instead of keeping a zombie.
 * Thread-safe.
 */
public final class Liveness {
  /** How long an event loop may go without running its task before it counts as stuck. */
  public static final long STUCK_MILLIS = 10_000;

  /** The watchers of this process, told of errors that reach a thread's top. */
  private static final List<Liveness> WATCHERS = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static final java.util.concurrent.atomic.AtomicBoolean HOOKED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final long stuckMillis;
  private final List<java.util.concurrent.atomic.AtomicLong> lastRun =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> names = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicReference<String> fatal = new AtomicReference<>();

  /** Starts watching the event loops of {@code vertx} and the errors that reach its handlers. */
  public Liveness(Vertx vertx) {
    this(vertx, STUCK_MILLIS);
  }

  Liveness(Vertx vertx, long stuckMillis) {
    this.stuckMillis = stuckMillis;
    watch(((VertxInternal) vertx).nettyEventLoopGroup(), "event loop");
    vertx.exceptionHandler(this::seen);
    WATCHERS.add(this);
    if (HOOKED.compareAndSet(false, true)) {
      Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
      Thread.setDefaultUncaughtExceptionHandler(
          (t, e) -> {
            WATCHERS.forEach(w -> w.seen(e));
            if (previous != null) {
              previous.uncaughtException(t, e);
            }
          });
    }
  }

  /** Also watches the threads of {@code group}, named {@code label} and their number. */
  public synchronized void watch(Iterable<EventExecutor> group, String label) {
    int i = 0;
    for (EventExecutor loop : group) {
      java.util.concurrent.atomic.AtomicLong last =
          new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());
      lastRun.add(last);
      names.add(label + " " + i++);
      tasks.add(
          loop.scheduleAtFixedRate(
              () -> last.set(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS));
    }
  }

  /** Null while the process is alive; else why it is not. */
  public String problem(long nowMillis) {
    String f = fatal.get();
    if (f != null) {
      return f;
    }
    for (int i = 0; i < lastRun.size(); i++) {
      long idle = nowMillis - lastRun.get(i).get();
      if (idle > stuckMillis) {
        return names.get(i) + " has not run for " + idle / 1000 + " s";
      }
    }
    return null;
  }

  /** Stops the event-loop tasks. */
  public void stop() {
    tasks.forEach(t -> t.cancel(false));
    WATCHERS.remove(this);
  }

  private void seen(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof VirtualMachineError) {
        fatal.compareAndSet(null, c.getClass().getSimpleName() + ": " + c.getMessage());
        return;
      }
    }
  }
}
