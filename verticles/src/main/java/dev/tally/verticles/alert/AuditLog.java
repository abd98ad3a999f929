package dev.tally.verticles.alert;

import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened to rules, alerts and silences, newest last, at most {@link #capacity} entries (the
 * oldest go first). One owner (the evaluator's); entries are immutable JSON objects {@code
 * {"at","event","by",...}}, also what the audit file holds, one per line.
 */
public final class AuditLog {
  private final int capacity;
  private final ArrayDeque<JsonObject> entries = new ArrayDeque<>();
  private long version;

  public AuditLog(int capacity) {
    this.capacity = capacity;
  }

  /** Records an event; {@code details} are name, value, name, value, ... (nulls left out). */
  void add(long at, String event, String by, Object... details) {
    JsonObject e = new JsonObject().put("at", at).put("event", event).put("by", by);
    for (int i = 0; i + 1 < details.length; i += 2) {
      if (details[i + 1] != null) {
        e.put((String) details[i], details[i + 1]);
      }
    }
    append(e);
  }

  /** Takes an entry as it was written (the audit file read at start). */
  public void append(JsonObject entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
    version++;
  }

  /** The newest {@code limit} entries, newest first. */
  public List<JsonObject> newest(int limit) {
    List<JsonObject> out = new ArrayList<>(Math.min(limit, entries.size()));
    var it = entries.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      out.add(it.next().copy());
    }
    return out;
  }

  /** Every entry, oldest first, one JSON object per line: the audit file's content. */
  public String toJsonLines() {
    StringBuilder sb = new StringBuilder();
    for (JsonObject e : entries) {
      sb.append(e.encode()).append('\n');
    }
    return sb.toString();
  }

  /** Changes with every entry: a writer compares it to know whether to write again. */
  public long version() {
    return version;
  }
}
