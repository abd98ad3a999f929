package dev.tally.verticles.bus;

/** Every event-bus address of Tally. */
public final class Addresses {
  /** Where the snapshots of every shard are published at each tick ({@code ShardSnapshot}). */
  public static final String SNAPSHOT = "tally.snapshot";

  /**
   * Where the shards' snapshots of one tick are published assembled, once ({@code TickSnapshot}).
   */
  public static final String TICK = "tally.tick";

  /**
   * Where a clustered node publishes its global view at each of its ticks ({@code TickSnapshot}):
   * its own series and the other nodes' latest. Nothing is published here unless clustered.
   */
  public static final String GLOBAL_TICK = "tally.tick.global";

  /**
   * Where the alert verticle publishes, after each evaluation, every alert ({@code AlertStates})
   * and the notifications to send.
   */
  public static final String ALERTS = "tally.alerts";

  /** The history wrote the ticks' samples of a time (a {@code Long}, epoch ms): rules may run. */
  public static final String HISTORY_APPENDED = "tally.history.appended";

  /** Samples a rule group recorded, for the history to write ({@code RecordedSamples}). */
  public static final String HISTORY_RECORD = "tally.history.record";

  /** Where the OTLP listeners send accepted spans to the trace store ({@code SpanBatch}). */
  public static final String TRACES = "tally.traces";

  /**
   * Where the OTLP listeners and StatsD sockets send accepted log records to the log store ({@code
   * LogBatch}).
   */
  public static final String LOGS = "tally.logs";

  /**
   * Where the log store publishes each batch it has stored, for the live tail ({@code LogBatch}).
   */
  public static final String LOGS_TAIL = "tally.logs.tail";

  /**
   * Where the trace store publishes the spans of the traces it keeps, each once, for the exporters
   * ({@code SpanBatch}): a trace's spans when it is kept, then each later span of it.
   */
  public static final String TRACES_KEPT = "tally.traces.kept";

  private static final String AGGREGATE_PREFIX = "tally.aggregate.";

  private Addresses() {}

  /** Where shard {@code shard} takes its {@code SampleBatch}es. */
  public static String aggregate(int shard) {
    return AGGREGATE_PREFIX + shard;
  }
}
