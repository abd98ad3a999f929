package dev.tally.verticles.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LogEntry;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Attack D4: searches run beside each other, so a plain query never waits behind regex ones. */
@ExtendWith(VertxExtension.class)
class LogStoreVerticleTest {
  @Test
  void aPlainQueryIsAnsweredWhileRegexSearchesAreStillRunning(Vertx vertx, VertxTestContext ctx) {
    LogStoreVerticle store =
        new LogStoreVerticle(
            20_000,
            256L << 20,
            new LogStoreStats(),
            new Inbox(10, new ShardRouter(1, 10, 1 << 20)));
    List<LogEntry> records = new ArrayList<>();
    String body = "a".repeat(400); // (a+)+b backtracks over every one of them
    for (int i = 0; i < 10_000; i++) {
      records.add(LogStoreTest.entry(i, 9, "cart", i == 0 ? "the needle" : body, null, 0));
    }
    LogQuery backtracking =
        new LogQuery(null, Pattern.compile("(a+)+b"), 0, null, 0, 0, 0, Long.MAX_VALUE, 10);
    LogQuery plain = new LogQuery("needle", null, 0, null, 0, 0, 0, Long.MAX_VALUE, 10);
    vertx
        .deployVerticle(store, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(
            id ->
                store.call(
                    s -> {
                      s.add(records);
                      return null;
                    }))
        .compose(
            v -> {
              List<Future<String>> regexes = new ArrayList<>();
              for (int i = 0; i < 6; i++) {
                regexes.add(store.logs(backtracking));
              }
              return store
                  .logs(plain)
                  .map(
                      answer -> {
                        ctx.verify(
                            () -> {
                              assertThat(answer).contains("the needle");
                              assertThat(regexes).anyMatch(f -> !f.isComplete());
                            });
                        return regexes;
                      });
            })
        .compose(regexes -> Future.all(regexes))
        .onComplete(ctx.succeedingThenComplete());
  }
}
