package dev.tally.gateway.ingest;

import dev.tally.protocol.model.RejectReason;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The last {@link #CAPACITY} rejected lines, for {@code GET /api/debug/rejected}. Written by every
 * ingest event loop; a short lock per bad line (good lines never take it).
 */
public final class RejectedLines {
  /** How many lines are kept. */
  public static final int CAPACITY = 100;

  /** Longest part of a line kept, in bytes. */
  static final int MAX_KEPT = 512;

  private final Object lock = new Object();
  private final ArrayDeque<JsonObject> lines = new ArrayDeque<>(CAPACITY);

  /** Keeps {@code bytes[from, to)}, cut to {@link #MAX_KEPT} bytes, with its reason. */
  public void add(
      String source, RejectReason reason, byte[] bytes, int from, int to, long nowMillis) {
    int len = Math.min(to - from, MAX_KEPT);
    JsonObject entry =
        new JsonObject()
            .put("ts", nowMillis)
            .put("source", source)
            .put("reason", reason.label())
            .put("line", new String(bytes, from, len, StandardCharsets.UTF_8))
            .put("truncated", len < to - from);
    synchronized (lock) {
      if (lines.size() == CAPACITY) {
        lines.removeFirst();
      }
      lines.addLast(entry);
    }
  }

  /**
   * The kept lines, oldest first, as {@code
   * {"rejected":[{"ts","source","reason","line","truncated"}]}}.
   */
  public JsonObject toJson() {
    JsonArray out = new JsonArray();
    synchronized (lock) {
      lines.forEach(out::add);
    }
    return new JsonObject().put("rejected", out).put("capacity", CAPACITY);
  }
}
