package dev.tally.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which Vert.x warned that an event loop (or a worker) was blocked beyond its
 * limit: the tests' Vert.x runs with a limit of 1 s ({@code vertx-test-options.json} at the
 * project's root; half Vert.x's default), so blocking code on a loop shows as a failure rather than
 * as a slow test. At 500 ms a test's TLS client set-up on its loop (0.5-0.6 s) failed while a
 * second build ran beside the tests. Registered for every test of this module by JUnit's extension
 * auto-detection.
 */
public final class BlockedEventLoops implements BeforeEachCallback, AfterEachCallback {
  /** Vert.x's blocked-thread checker logs under this name. */
  static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final List<String> WARNINGS = new CopyOnWriteArrayList<>();
  private static final Logger LOGGER = Logger.getLogger(CHECKER); // held: JUL keeps it weakly

  static {
    LOGGER.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
              WARNINGS.add(record.getMessage());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    WARNINGS.clear();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!WARNINGS.isEmpty()) {
      List<String> seen = List.copyOf(WARNINGS);
      WARNINGS.clear();
      throw new AssertionError("a Vert.x thread was blocked during the test: " + seen);
    }
  }
}
