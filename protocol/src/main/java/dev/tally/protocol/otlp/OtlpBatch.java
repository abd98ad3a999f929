package dev.tally.protocol.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The points of one OTLP request bound for one aggregation shard: one event-bus message per shard
 * per request. Filled by one thread, then read-only once {@link #seal()}ed.
 */
public final class OtlpBatch {
  private final List<OtlpPoint> points = new ArrayList<>();
  private boolean sealed;
  private long bytes;

  public void add(OtlpPoint point) {
    if (sealed) {
      throw new IllegalStateException("batch is sealed");
    }
    points.add(point);
    bytes += 4 + point.estimatedBytes();
  }

  public OtlpBatch seal() {
    sealed = true;
    return this;
  }

  /** The estimated heap of the points, which counts against the bound of the shard queues. */
  public long bytes() {
    return bytes;
  }

  public int size() {
    return points.size();
  }

  public List<OtlpPoint> points() {
    return Collections.unmodifiableList(points);
  }
}
