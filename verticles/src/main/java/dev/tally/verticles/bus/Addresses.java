package dev.tally.verticles.bus;

/** Every event-bus address of Tally. */
public final class Addresses {
  /** Where the snapshots of every shard are published at each tick ({@code ShardSnapshot}). */
  public static final String SNAPSHOT = "tally.snapshot";

  /**
   * Where the alert verticle publishes, after each evaluation, every alert ({@code AlertStates})
   * and the notifications to send.
   */
  public static final String ALERTS = "tally.alerts";

  private static final String AGGREGATE_PREFIX = "tally.aggregate.";

  private Addresses() {}

  /** Where shard {@code shard} takes its {@code SampleBatch}es. */
  public static String aggregate(int shard) {
    return AGGREGATE_PREFIX + shard;
  }
}
