package dev.tally.verticles.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The alert verticle on a real Vert.x and file system. */
@ExtendWith(VertxExtension.class)
class AlertVerticleTest {
  @Test
  void aBurstOfChangesCostsAFewWritesOfTheAuditFileWhichHoldsThemAll(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("audit.jsonl");
    AlertVerticle alerts =
        new AlertVerticle(List.of(), List.of(), file.toString(), System::currentTimeMillis);
    vertx.deployVerticle(alerts).await(10, TimeUnit.SECONDS);
    List<Future<List<Notification>>> changes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      Rule rule =
          RuleParser.parse(
              new JsonObject()
                  .put("name", "rule-" + i)
                  .put("match", "queue.depth")
                  .put("value", "value")
                  .put("op", ">")
                  .put("threshold", i));
      changes.add(alerts.call(ev -> ev.putRule(rule, System.currentTimeMillis())));
    }
    Future.all(changes).await(10, TimeUnit.SECONDS);

    long deadline = System.currentTimeMillis() + 10_000;
    while (lines(file) < 500 && System.currentTimeMillis() < deadline) {
      LockSupport.parkNanos(20_000_000L); // the last write is on its way
    }
    assertThat(lines(file)).isEqualTo(500);
    // one write at a time, and the changes made meanwhile in the next: not one write per change
    assertThat(alerts.auditWrites()).isBetween(1, 50);
  }

  private static long lines(Path file) throws Exception {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }
}
