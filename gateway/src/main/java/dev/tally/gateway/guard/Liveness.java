package dev.tally.gateway.guard;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
  private static final List<Liveness> WATCHERS = new CopyOnWriteArrayList<>();

  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private final long stuckMillis;
  private final List<Watched> watched = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> fatal = new AtomicReference<>();

  /** A watched thread: its name, when its task last ran, the task. */
  private record Watched(String name, AtomicLong lastRun, ScheduledFuture<?> task) {}

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
  public void watch(Iterable<EventExecutor> group, String label) {
    int i = 0;
    for (EventExecutor loop : group) {
      AtomicLong last = new AtomicLong(System.currentTimeMillis());
      ScheduledFuture<?> task =
          loop.scheduleAtFixedRate(
              () -> last.set(System.currentTimeMillis()), 1, 1, TimeUnit.SECONDS);
      watched.add(new Watched(label + " " + i++, last, task));
    }
  }

  /** Null while the process is alive; else why it is not. */
  public String problem(long nowMillis) {
    String f = fatal.get();
    if (f != null) {
      return f;
    }
    for (Watched w : watched) {
      long idle = nowMillis - w.lastRun().get();
      if (idle > stuckMillis) {
        return w.name() + " has not run for " + idle / 1000 + " s";
      }
    }
    return null;
  }

  /** Stops the event-loop tasks. */
  public void stop() {
    watched.forEach(w -> w.task().cancel(false));
    WATCHERS.remove(this);
  }

  /**
   * A router's failure handler, to be its first: sees the request's failure (a handler's {@link
   * OutOfMemoryError} ends as a failed request, not at a thread's top) and passes it on.
   */
  public void routeFailed(RoutingContext rc) {
    if (rc.failure() != null) {
      seen(rc.failure());
    }
    rc.next();
  }

  /**
   * Takes an error that something caught (a router's failure, a failed future): a {@link
   * VirtualMachineError} in it, or among its causes, marks the process as broken for good.
   */
  public void seen(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof VirtualMachineError) {
        fatal.compareAndSet(null, c.getClass().getSimpleName() + ": " + c.getMessage());
        return;
      }
    }
  }
}
