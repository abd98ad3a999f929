package dev.tally.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.ext.web.Router;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The liveness watch on a real Vert.x: a stuck event loop and a fatal error both fail it. */
class LivenessTest {
  @Test
  void aStuckEventLoopFailsLivenessUntilItRunsAgain() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    CountDownLatch release = new CountDownLatch(1);
    try {
      Liveness liveness = new Liveness(vertx, 1500);
      assertThat(liveness.problem(System.currentTimeMillis())).isNull();
      ((VertxInternal) vertx)
          .nettyEventLoopGroup()
          .next()
          .execute(
              () -> {
                try {
                  release.await(30, TimeUnit.SECONDS); // the fault: a loop that does not return
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      String problem = null;
      long deadline = System.currentTimeMillis() + 15_000;
      while (problem == null && System.currentTimeMillis() < deadline) {
        problem = liveness.problem(System.currentTimeMillis());
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll every 50 ms
      }
      assertThat(problem).matches("event loop \\d has not run for \\d+ s");
      release.countDown();
      long healed = System.currentTimeMillis() + 15_000;
      while (liveness.problem(System.currentTimeMillis()) != null
          && System.currentTimeMillis() < healed) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll every 50 ms
      }
      assertThat(liveness.problem(System.currentTimeMillis())).isNull();
      liveness.stop();
    } finally {
      release.countDown();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOutOfMemoryErrorInAHandlerFailsLivenessForGood() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Liveness liveness = new Liveness(vertx);
      vertx.runOnContext(
          v -> {
            throw new OutOfMemoryError("Java heap space");
          });
      long deadline = System.currentTimeMillis() + 10_000;
      while (liveness.problem(System.currentTimeMillis()) == null
          && System.currentTimeMillis() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L); // poll every 50 ms
      }
      assertThat(liveness.problem(System.currentTimeMillis()))
          .isEqualTo("OutOfMemoryError: Java heap space");
      liveness.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anOutOfMemoryErrorThatARouterCaughtFailsLiveness() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Liveness liveness = new Liveness(vertx);
      Router router = Router.router(vertx);
      router.route().failureHandler(liveness::routeFailed);
      router
          .get("/page")
          .handler(
              rc ->
                  vertx
                      .executeBlocking(
                          () -> {
                            throw new OutOfMemoryError("Java heap space"); // the fault
                          })
                      .onComplete(ar -> rc.fail(ar.cause())));
      HttpServer server =
          vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      // held until the answer is in: a client nothing refers to may be closed by the garbage
      // collector's cleaner mid-request ("Pool closed")
      io.vertx.core.http.HttpClient client = vertx.createHttpClient();
      int status =
          client
              .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/page")
              .compose(r -> r.send())
              .map(HttpClientResponse::statusCode)
              .await(10, TimeUnit.SECONDS);
      client.close().await(10, TimeUnit.SECONDS);
      assertThat(status).isEqualTo(500);
      assertThat(liveness.problem(System.currentTimeMillis()))
          .isEqualTo("OutOfMemoryError: Java heap space");
      liveness.stop();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
