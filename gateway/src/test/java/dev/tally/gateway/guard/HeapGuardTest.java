package dev.tally.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.config.ConfigException;
import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.CurrentOptions;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The heap guard's judgement on collections as G1 reports them: the readings are those the JVM's
 * notifications and pools give (heap after the collection, old generation after it, old generation
 * after its own last collection).
 */
class HeapGuardTest {
  private static final long MIB = 1 << 20;

  private final HeapGuard guard = new HeapGuard(options("--memory-limit-percent", "50"));
  private final long limit = guard.limitBytes();

  private static CurrentOptions options(String... args) {
    try {
      return new CurrentOptions(ConfigLoader.load(args, Map.of()).options);
    } catch (ConfigException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void duringTheWarmUpTheGuardRefusesWithoutAWarning() {
    java.util.List<java.util.logging.LogRecord> records =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(HeapGuard.class.getName());
    logger.addHandler(handler);
    try {
      guard.warmingUp(true);
      guard.update(limit + 10 * MIB, limit, limit); // the warm-up's garbage
      assertThat(guard.refusing()).isTrue();
      guard.update(20 * MIB, 10 * MIB, 10 * MIB);
      assertThat(guard.refusing()).isFalse();
      guard.warmingUp(false);
      guard.update(limit + 10 * MIB, limit, limit); // real traffic
      assertThat(guard.refusing()).isTrue();
      guard.update(20 * MIB, 10 * MIB, 10 * MIB);
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records)
        .extracting(java.util.logging.LogRecord::getLevel)
        .as("the warm-up's refusal and acceptance below INFO; the real ones a warning and news")
        .containsExactly(java.util.logging.Level.WARNING, java.util.logging.Level.INFO);
  }

  @Test
  void oldGarbageAfterAYoungCollectionIsNotCountedAsLive() {
    // G1 collected the old generation down to 20 MiB; young collections since promoted garbage
    guard.update(40 * MIB, 20 * MIB, 20 * MIB);
    guard.update(limit + 10 * MIB, limit, -1);

    assertThat(guard.afterGcBytes()).isEqualTo(limit + 10 * MIB);
    assertThat(guard.liveEstimateBytes()).isEqualTo(30 * MIB); // 10 young + 20 old
    assertThat(guard.refusing()).isFalse();
  }

  @Test
  void aMixedCollectionThatFindsTheOldGenerationFullRefusesIngest() {
    guard.update(limit + 10 * MIB, limit, limit);

    assertThat(guard.liveEstimateBytes()).isEqualTo(limit + 10 * MIB);
    assertThat(guard.refusing()).isTrue();
  }

  @Test
  void withoutAnOldCollectionYetTheHeapAfterTheCollectionIsTheEstimate() {
    guard.update(limit + MIB, limit - 5 * MIB, -1);

    assertThat(guard.liveEstimateBytes()).isEqualTo(limit + MIB);
    assertThat(guard.refusing()).isTrue();
  }

  @Test
  void aStaleOldReadingCannotHideAHeapOverTheHardLimit() {
    guard.update(40 * MIB, 20 * MIB, 20 * MIB);
    long raw = guard.hardLimitBytes() + MIB;
    guard.update(raw, raw - 10 * MIB, -1);

    assertThat(guard.liveEstimateBytes()).isLessThan(limit);
    assertThat(guard.refusing()).isTrue();
  }

  @Test
  void theHeapInUseNowLetsIngestInWithoutACollection() {
    guard.update(limit + 10 * MIB, limit, limit);
    assertThat(guard.refusing()).isTrue();

    guard.sample(limit + 20 * MIB); // more in use now: still refusing
    assertThat(guard.refusing()).isTrue();
    guard.sample(limit - MIB); // freed since, and no collection came
    assertThat(guard.refusing()).isFalse();
    assertThat(guard.liveEstimateBytes()).isEqualTo(limit - MIB);
  }

  @Test
  void beforeAnyCollectionTheHeapInUseIsTheEstimate() {
    guard.sample(limit + MIB);
    assertThat(guard.refusing()).isTrue();
    guard.sample(limit - MIB);
    assertThat(guard.refusing()).isFalse();
  }

  @Test
  void aRealCollectionIsRead() {
    guard.start();
    try {
      System.gc(); // the test's own collection: a full one, which the guard hears of
      long deadline = System.currentTimeMillis() + 10_000;
      while (guard.afterGcBytes() == 0 && System.currentTimeMillis() < deadline) {
        LockSupport.parkNanos(20_000_000L); // notifications come on the JVM's own thread
      }
      assertThat(guard.afterGcBytes()).isPositive();
      assertThat(guard.liveEstimateBytes()).isPositive().isLessThanOrEqualTo(guard.afterGcBytes());
    } finally {
      guard.stop();
    }
  }
}
