package dev.tally.verticles.cluster;

import dev.tally.verticles.bus.Wire;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The series one node of a cluster owns at one tick, with the values it shows for them: what it
 * publishes to the other nodes so that each can show every series ({@link ClusterTicks}). Travels
 * as a {@link Buffer} made by {@link #encode()}, so that encoding and decoding run where the caller
 * chooses (a worker) rather than on the event bus's connection threads. Immutable.
 */
public final class NodeTick {
  static final byte VERSION = 1;

  private final String node;
  private final long tickMillis;
  private final List<SeriesSnapshot> series;

  public NodeTick(String node, long tickMillis, List<SeriesSnapshot> series) {
    this.node = node;
    this.tickMillis = tickMillis;
    this.series = Collections.unmodifiableList(series);
  }

  /** The node's id. */
  public String node() {
    return node;
  }

  /** The tick, epoch milliseconds. */
  public long tickMillis() {
    return tickMillis;
  }

  public List<SeriesSnapshot> series() {
    return series;
  }

  /** The wire form: a version byte, the node, the tick, then each series. */
  public Buffer encode() {
    Buffer buffer = Buffer.buffer(64 + 128 * series.size());
    buffer.appendByte(VERSION);
    Wire.string(buffer, node);
    buffer.appendLong(tickMillis).appendInt(series.size());
    for (SeriesSnapshot s : series) {
      s.writeTo(buffer);
    }
    return buffer;
  }

  /**
   * Reads what {@link #encode()} wrote.
   *
   * @throws IllegalStateException if it is not a node tick of this version, or is cut short
   * @throws IndexOutOfBoundsException if a value runs past the end
   */
  public static NodeTick decode(Buffer buffer) {
    int[] at = {0};
    Wire.version(buffer, at, VERSION, "node tick");
    String node = Wire.string(buffer, at);
    long tick = Wire.getLong(buffer, at);
    int n = Wire.length(buffer, at, 1);
    List<SeriesSnapshot> series = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      series.add(SeriesSnapshot.readFrom(buffer, at));
    }
    if (at[0] != buffer.length()) {
      throw new IllegalStateException((buffer.length() - at[0]) + " bytes after a node tick");
    }
    return new NodeTick(node, tick, series);
  }
}
