package dev.tally.verticles.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger = Logger.getAnonymousLogger();

  RateLimitedLogTest() {
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Test
  void aFloodLogsOneLineWithItsStackPerInterval() {
    RateLimitedLog log = new RateLimitedLog(logger, 60_000);
    RuntimeException e = new IllegalStateException("a bug");
    for (int i = 0; i < 1000; i++) {
      log.log(Level.WARNING, () -> "it failed", e);
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0).getThrown()).isSameAs(e);
    assertThat(records.get(0).getMessage()).isEqualTo("it failed");
  }

  @Test
  void theNextLineSaysHowManyWereLeftOut() {
    RateLimitedLog log = new RateLimitedLog(logger, 20);
    long deadline = System.currentTimeMillis() + 10_000;
    int calls = 0;
    while (records.size() < 2 && System.currentTimeMillis() < deadline) {
      log.log(Level.WARNING, () -> "again", null);
      calls++;
    }
    assertThat(records).hasSize(2);
    assertThat(records.get(1).getMessage())
        .isEqualTo("again (" + (calls - 2) + " more like it not logged since the last)");
  }
}
