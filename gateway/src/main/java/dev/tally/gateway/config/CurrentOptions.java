package dev.tally.gateway.config;

import java.util.Objects;

/**
 * The options in force: those the gateway started with until a reload replaces them whole. Read by
 * any thread (a volatile read per request or packet); written by the reloader only.
 */
public final class CurrentOptions {
  private volatile TallyOptions options;

  public CurrentOptions(TallyOptions options) {
    this.options = Objects.requireNonNull(options);
  }

  public TallyOptions get() {
    return options;
  }

  /** Puts {@code next} in force; the caller has checked that it may be applied without restart. */
  public void set(TallyOptions next) {
    this.options = Objects.requireNonNull(next);
  }
}
