package dev.tally.verticles.logs;

import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Log records in arrival order, bounded by a record count and an estimated byte size; beyond
 * either, the oldest are evicted and counted. Logic only, single thread (the {@link
 * LogStoreVerticle}'s); searches run on a {@link #snapshot()} on any thread.
 */
public final class LogStore {
  /** Heap of a record's place in the store beyond the record: its slot in the deque. */
  static final long SLOT_BYTES = 8;

  private final int maxRecords;
  private final long maxBytes;
  private final LogStoreStats stats;
  private final ArrayDeque<LogEntry> records = new ArrayDeque<>();
  private long bytes;

  public LogStore(int maxRecords, long maxBytes, LogStoreStats stats) {
    if (maxRecords < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("maxRecords and maxBytes must be >= 1");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.stats = stats;
  }

  /** Adds records, then evicts the oldest as the bounds require. */
  public void add(List<LogEntry> batch) {
    for (LogEntry e : batch) {
      records.add(e);
      bytes += e.estimatedBytes() + SLOT_BYTES;
    }
    while (records.size() > maxRecords || (bytes > maxBytes && !records.isEmpty())) {
      bytes -= records.poll().estimatedBytes() + SLOT_BYTES;
      stats.evicted.increment();
    }
    stats.records.set(records.size());
    stats.bytes.set(bytes);
  }

  /**
   * The records held now, oldest first: an immutable view that any thread may search (the records
   * are immutable; copying 100 000 references takes well under a millisecond).
   */
  LogEntry[] snapshot() {
    return records.toArray(new LogEntry[0]);
  }

  /** {@link #search(LogEntry[], LogQuery, long)} over the records held now. */
  Found search(LogQuery q, long regexBudget) {
    return search(snapshot(), q, regexBudget);
  }

  /**
   * The records of {@code view} (oldest first) that match, newest first; the search stops early,
   * {@code truncated}, once its regular expression has read {@code regexBudget} characters. Any
   * thread.
   */
  static Found search(LogEntry[] view, LogQuery q, long regexBudget) {
    RegexBudget budget = new RegexBudget(regexBudget);
    List<LogEntry> out = new ArrayList<>();
    try {
      for (int i = view.length - 1; i >= 0 && out.size() < q.limit(); i--) {
        LogEntry e = view[i];
        if (q.matches(e, budget)) {
          out.add(e);
        }
      }
    } catch (RegexBudget.Exhausted | StackOverflowError e) {
      // a pattern that recurses per character, (a|b)*, overflows the stack on a long body
      return new Found(out, true);
    }
    return new Found(out, false);
  }

  /** A search's records, and whether the regex budget stopped it before it had looked at all. */
  record Found(List<LogEntry> entries, boolean truncated) {}

  /**
   * The error records held (severity error or fatal, or carrying {@code exception.type}) grouped by
   * exception type, most frequent first. A StatsD event, which has no exception type, is grouped by
   * its aggregation key, else its title (as DogStatsD groups events); other records without a type
   * form the group of type null.
   */
  public List<ErrorGroup> errors() {
    Map<String, ErrorGroup> groups = new LinkedHashMap<>();
    for (Iterator<LogEntry> it = records.descendingIterator(); it.hasNext(); ) {
      LogEntry e = it.next();
      String type = errorType(e);
      if (type == null && e.severityNumber() < LogSeverity.ERROR.lowest()) {
        continue;
      }
      ErrorGroup g = groups.computeIfAbsent(type, t -> new ErrorGroup(t, e)); // newest first
      g.count++;
    }
    List<ErrorGroup> out = new ArrayList<>(groups.values());
    out.sort((a, b) -> Long.compare(b.count, a.count));
    return out;
  }

  private static String errorType(LogEntry e) {
    String type = e.attribute(LogEntry.EXCEPTION_TYPE);
    if (type == null) {
      type = e.attribute(LogEntry.EVENT_AGGREGATION_KEY);
    }
    return type != null ? type : e.attribute(LogEntry.EVENT_TITLE);
  }

  /** The error records of one exception type: how many, and the newest of them. */
  public static final class ErrorGroup {
    final String type;
    final LogEntry last;
    long count;

    ErrorGroup(String type, LogEntry last) {
      this.type = type;
      this.last = last;
    }

    public String type() {
      return type;
    }

    public long count() {
      return count;
    }

    public LogEntry last() {
      return last;
    }
  }
}
