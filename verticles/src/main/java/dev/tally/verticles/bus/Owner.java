package dev.tally.verticles.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Runs work on the context that owns some state, from any thread. */
public final class Owner {
  private Owner() {}

  /**
   * Runs {@code action} on {@code owner}; completes with its result, or fails with what it threw (a
   * {@link Error} included, so that no caller waits for ever). The future completes on the caller's
   * context when there is one (an HTTP handler answers on its own event loop), else on the owner's.
   */
  public static <T> Future<T> call(Context owner, Supplier<T> action) {
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    owner.runOnContext(
        v -> {
          T value;
          try {
            value = action.get();
          } catch (Throwable e) { // an Error too: no caller may wait for ever
            complete(caller, () -> result.fail(e));
            return;
          }
          complete(caller, () -> result.complete(value));
        });
    return result.future();
  }

  private static void complete(Context caller, Runnable completion) {
    if (caller == null || caller == Vertx.currentContext()) {
      completion.run();
    } else {
      caller.runOnContext(v -> completion.run());
    }
  }
}
