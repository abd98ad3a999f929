package dev.tally.gateway.config;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/** The configuration reloads applied and refused, bound to {@code /metrics}. Thread-safe. */
public final class ReloadCounts implements MeterBinder {
  private final LongAdder applied = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private volatile boolean lastOk = true;

  /** Counts a reload, applied or refused. */
  public void reloaded(boolean ok) {
    (ok ? applied : refused).increment();
    lastOk = ok;
  }

  /** True if the last reload was applied, or none was tried. */
  public boolean lastOk() {
    return lastOk;
  }

  @Override
  public void bindTo(MeterRegistry r) {
    String help = "Configuration reloads, applied or refused.";
    SelfMeters.counter(
        r, "tally_config_reloads_total", help, applied, LongAdder::sum, "result", "applied");
    SelfMeters.counter(
        r, "tally_config_reloads_total", help, refused, LongAdder::sum, "result", "refused");
    SelfMeters.gauge(
        r,
        "tally_config_last_reload_successful",
        "1 if the last reload was applied (or none was tried), 0 if it was refused.",
        this,
        c -> c.lastOk ? 1 : 0);
  }
}
