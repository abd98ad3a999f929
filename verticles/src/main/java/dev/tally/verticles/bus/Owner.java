package dev.tally.verticles.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/** Runs work on the context that owns some state, from any thread. */
public final class Owner {
  private Owner() {}

  /**
   * Runs {@code action} on {@code owner}; completes with its result, or fails with what it threw.
   */
  public static <T> Future<T> call(Context owner, Supplier<T> action) {
    Promise<T> result = Promise.promise();
    owner.runOnContext(
        v -> {
          try {
            result.complete(action.get());
          } catch (RuntimeException e) {
            result.fail(e);
          }
        });
    return result.future();
  }
}
