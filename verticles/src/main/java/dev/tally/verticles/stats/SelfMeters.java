package dev.tally.verticles.stats;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Registers Tally's own meters by the names they have on {@code /metrics}: each component binds the
 * counters it keeps ({@link io.micrometer.core.instrument.binder.MeterBinder}), read when the
 * registry is scraped, as Micrometer's own binders read the state of what they measure. Counters on
 * the ingest path stay plain {@code LongAdder}s: a {@link FunctionCounter} reads them. A function
 * counter holds what it reads weakly: the component that binds its counters outlives the registry
 * (the gateway holds both); gauges hold theirs strongly.
 */
public final class SelfMeters {
  private static final String TOTAL = "_total";

  private SelfMeters() {}

  /**
   * A counter named {@code name} on the page ({@code x_total}; Micrometer adds the suffix to the
   * meter {@code x}), with {@code tags} as key, value, key, value...
   */
  public static <T> void counter(
      MeterRegistry r,
      String name,
      String help,
      T state,
      ToDoubleFunction<T> read,
      String... tags) {
    FunctionCounter.builder(meterName(name), state, read).description(help).tags(tags).register(r);
  }

  /** A counter that reads {@code count}. */
  public static void counter(MeterRegistry registry, String name, String help, LongAdder count) {
    counter(registry, name, help, count, LongAdder::sum);
  }

  /** A counter per value, tagged {@code tag=label(value)}. */
  public static <E> void counters(
      MeterRegistry registry,
      String name,
      String help,
      String tag,
      E[] values,
      Function<E, String> label,
      ToDoubleFunction<E> count) {
    for (E v : values) {
      counter(registry, name, help, v, count, tag, label.apply(v));
    }
  }

  /** A gauge that reads {@code value}. */
  public static void gauge(MeterRegistry registry, String name, String help, AtomicLong value) {
    gauge(registry, name, help, value, AtomicLong::get);
  }

  /** A gauge; {@code tags} as key, value, key, value... */
  public static <T> void gauge(
      MeterRegistry r,
      String name,
      String help,
      T state,
      ToDoubleFunction<T> read,
      String... tags) {
    Gauge.builder(name, state, read).description(help).tags(tags).strongReference(true).register(r);
  }

  private static String meterName(String name) {
    if (!name.endsWith(TOTAL)) {
      throw new IllegalArgumentException("a counter's name ends with _total: " + name);
    }
    return name.substring(0, name.length() - TOTAL.length());
  }
}
