package dev.tally.verticles.live;

import dev.tally.protocol.model.LogEntry;
import dev.tally.verticles.aggregate.SeriesSnapshot;
import dev.tally.verticles.logs.LogJson;
import dev.tally.verticles.logs.LogQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live feed's logic (CONTRACT §7): clients, their subscriptions, and what each tick sends them.
 * A snapshot frame is encoded once per distinct subscription per tick and shared by its clients. A
 * client whose transport is full gets no write: its newest frame waits in one slot (latest wins,
 * the replaced one is counted as coalesced) until the transport drains, and a client that stays
 * full for {@link LiveOptions#getSlowCloseMillis()} is closed. Backfills take the same slot and are
 * shared by equal subscriptions within a tick and cut at {@link #MAX_BACKFILL_CHARS}; replies to a
 * full client are dropped. Server memory per client is therefore one pending message, whatever the
 * client does. Confined to one thread (the HTTP listener's event loop).
 */
public final class LiveFeed {
  /** The largest backfill message, in characters: beyond it, series are left out. */
  static final int MAX_BACKFILL_CHARS = 4 << 20;

  /** Log records the live tail keeps per tick (the newest), over every client's filter. */
  public static final int MAX_TAIL_RECORDS = 500;

  private final LiveOptions options;
  private final LiveStats stats;
  private final History history;
  private final Map<LiveConnection, Subscriber> subscribers = new LinkedHashMap<>();
  private final Map<Subscription, String> frames = new HashMap<>();
  private final Map<Subscription, String> backfills = new HashMap<>();
  private TickSnapshot latest = TickSnapshot.empty();
  private final ArrayDeque<LogEntry> tailBuffer = new ArrayDeque<>();
  private final Map<LogQuery, Integer> tails = new HashMap<>(); // distinct filters, and clients

  public LiveFeed(LiveOptions options, LiveStats stats) {
    this.options = new LiveOptions(options);
    this.stats = stats;
    this.history = new History(this.options.getHistorySeries(), this.options.getHistoryPoints());
  }

  /**
   * Adds a client and sends it {@code hello}; with a subscription, also its backfill (points after
   * {@code afterMillis}) and from then on a snapshot per tick.
   *
   * @return false if the client limit is reached: the caller refuses the client (503)
   */
  public boolean open(LiveConnection c, Subscription subscription, long afterMillis) {
    if (subscribers.size() >= options.getMaxClients()) {
      stats.refused.increment();
      return false;
    }
    subscribers.put(c, new Subscriber(c));
    stats.counter(c.transport()).incrementAndGet();
    c.write("hello", 0, hello());
    if (subscription != null) {
      subscribe(c, subscription, afterMillis);
    }
    return true;
  }

  /** Changes a client's subscription and sends the backfill of the new one. */
  public void subscribe(LiveConnection c, Subscription subscription, long afterMillis) {
    Subscriber s = subscribers.get(c);
    if (s == null) {
      return;
    }
    s.subscription = subscription;
    String backfill =
        afterMillis == Long.MIN_VALUE
            ? backfills.computeIfAbsent(subscription, sub -> backfill(sub, Long.MIN_VALUE))
            : backfill(subscription, afterMillis);
    offer(s, "backfill", latest.tickMillis(), backfill);
  }

  /** Sends a client a reply (an error, say) unless its transport is full, when it is dropped. */
  public void reply(LiveConnection c, String type, String json) {
    if (subscribers.containsKey(c) && !c.writeQueueFull()) {
      c.write(type, 0, json);
    }
  }

  /**
   * Sends every client one message (an alert's change of state): written now to those whose
   * transport takes it, skipped for a client that is full (the alert stays in {@code /api/alerts}).
   */
  public void broadcast(String type, String json) {
    for (Subscriber s : subscribers.values()) {
      if (!s.connection.writeQueueFull()) {
        s.connection.write(type, 0, json);
        stats.framesSent.increment();
      }
    }
  }

  /**
   * Starts, changes or (with null) stops a client's live tail of log records: each tick it gets the
   * records that arrived in that tick and match {@code filter}, at most {@link #MAX_TAIL_RECORDS},
   * as one {@code logs} message.
   */
  public void tail(LiveConnection c, LogQuery filter) {
    Subscriber s = subscribers.get(c);
    if (s == null) {
      return;
    }
    untail(s);
    if (filter != null) {
      tails.merge(filter, 1, Integer::sum);
    }
    s.tail = filter;
  }

  /**
   * Takes log records just stored, for the tails: those some tail wants are kept until the tick, at
   * most {@link #MAX_TAIL_RECORDS} (the newest).
   */
  public void onLogs(List<LogEntry> entries) {
    if (tails.isEmpty()) {
      return;
    }
    for (LogEntry e : entries) {
      if (anyTailWants(e)) { // a quiet tail's records are not pushed out by what no one asked for
        tailBuffer.add(e);
        if (tailBuffer.size() > MAX_TAIL_RECORDS) {
          tailBuffer.poll();
          stats.logsDropped.increment();
        }
      }
    }
  }

  /** True if a tail wants the record: each distinct filter is asked once. */
  private boolean anyTailWants(LogEntry e) {
    for (LogQuery filter : tails.keySet()) {
      if (filter.matches(e)) {
        return true;
      }
    }
    return false;
  }

  /** Takes a client's tail, if it has one, out of the distinct filters. */
  private void untail(Subscriber s) {
    if (s.tail != null) {
      tails.computeIfPresent(s.tail, (q, n) -> n > 1 ? n - 1 : null);
    }
  }

  /**
   * Sends each tailing client the buffered records that match its filter, oldest first: one {@code
   * logs} message, encoded once per distinct filter.
   */
  private void flushTail() {
    if (tailBuffer.isEmpty()) {
      return;
    }
    Map<LogQuery, JsonArray> tailRecords = new HashMap<>();
    Map<LogQuery, String> tailFrames = new HashMap<>();
    for (Subscriber s : subscribers.values()) {
      if (s.tail == null) {
        continue;
      }
      JsonArray logs = tailRecords.computeIfAbsent(s.tail, this::tailRecords);
      if (logs.isEmpty()) {
        continue;
      }
      if (s.connection.writeQueueFull()) {
        stats.logsDropped.add(logs.size());
      } else {
        String frame =
            tailFrames.computeIfAbsent(
                s.tail, q -> new JsonObject().put("type", "logs").put("logs", logs).encode());
        s.connection.write("logs", 0, frame);
        stats.framesSent.increment();
      }
    }
    tailBuffer.clear();
  }

  /** The buffered records that match a filter, oldest first. */
  private JsonArray tailRecords(LogQuery filter) {
    JsonArray logs = new JsonArray();
    for (LogEntry e : tailBuffer) {
      if (filter.matches(e)) {
        logs.add(LogJson.entry(e));
      }
    }
    return logs;
  }

  /** Stops a client's snapshots (it stays connected). */
  public void unsubscribe(LiveConnection c) {
    Subscriber s = subscribers.get(c);
    if (s != null) {
      s.subscription = null;
      s.pending = null;
    }
  }

  /** Forgets a client whose connection has closed. */
  public void closed(LiveConnection c) {
    Subscriber s = subscribers.remove(c);
    if (s != null) {
      stats.counter(c.transport()).decrementAndGet();
      untail(s);
    }
  }

  /** A client's transport has room again: sends the frame that waited, if any. */
  public void drained(LiveConnection c) {
    Subscriber s = subscribers.get(c);
    if (s != null && s.pending != null && !c.writeQueueFull()) {
      send(s, s.pendingType, s.pendingTick, s.pending);
    }
  }

  /** Takes a tick: records history, then sends each subscribed client its frame. */
  public void onTick(TickSnapshot tick, long nowMillis) {
    history.record(tick);
    latest = tick;
    frames.clear();
    backfills.clear();
    List<Subscriber> closing = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (s.subscription != null) {
        String frame = frames.computeIfAbsent(s.subscription, this::snapshotFrame);
        if (!offer(s, "snapshot", tick.tickMillis(), frame) && tooSlow(s, nowMillis)) {
          closing.add(s);
        }
      }
    }
    close(closing);
    flushTail();
  }

  /**
   * Sends every client a heartbeat (an SSE comment, a WebSocket ping) unless its transport is full;
   * closes the clients, subscribed or not, that have been full for too long.
   */
  public void heartbeat(long nowMillis) {
    List<Subscriber> closing = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (!s.connection.writeQueueFull()) {
        s.connection.heartbeat();
        if (s.pending == null) {
          s.fullSinceMillis = 0;
        }
      } else if (tooSlow(s, nowMillis)) {
        closing.add(s);
      }
    }
    close(closing);
  }

  /** Writes a message, or keeps it as the client's pending one (latest wins); true if written. */
  private boolean offer(Subscriber s, String type, long id, String json) {
    if (!s.connection.writeQueueFull()) {
      send(s, type, id, json);
      return true;
    }
    if (s.pending != null) {
      stats.framesCoalesced.increment(); // the older waiting message is never sent
    }
    s.pending = json;
    s.pendingType = type;
    s.pendingTick = id;
    return false;
  }

  /** Writes a message; nothing waits for the client any more. */
  private void send(Subscriber s, String type, long id, String json) {
    s.connection.write(type, id, json);
    stats.framesSent.increment();
    s.pending = null;
    s.fullSinceMillis = 0;
  }

  /** Starts or checks the client's time spent full; true once it is over the limit. */
  private boolean tooSlow(Subscriber s, long nowMillis) {
    if (s.fullSinceMillis == 0) {
      s.fullSinceMillis = nowMillis;
      return false;
    }
    return nowMillis - s.fullSinceMillis >= options.getSlowCloseMillis();
  }

  private void close(List<Subscriber> closing) {
    for (Subscriber s : closing) {
      stats.closedSlow.increment();
      if (s.pending != null) {
        stats.framesCoalesced.increment(); // its waiting message
      }
      closed(s.connection);
      s.connection.close(
          "too slow: could not take frames for " + options.getSlowCloseMillis() / 1000 + " s");
    }
  }

  /** The latest assembled tick. */
  public TickSnapshot latest() {
    return latest;
  }

  public int clients() {
    return subscribers.size();
  }

  /** True if the client limit is reached. */
  public boolean isFull() {
    return subscribers.size() >= options.getMaxClients();
  }

  /** The {@code hello} message. */
  public String hello() {
    return "{\"type\":\"hello\",\"tick_ms\":"
        + options.getTickMillis()
        + ",\"max_series\":"
        + options.getMaxSeries()
        + ",\"history_points\":"
        + options.getHistoryPoints()
        + "}";
  }

  /**
   * {@code GET /api/series}: {@code {"series":[{key,name,kind,tags}],"total":n}}, at most {@code
   * limit} of the matching series, in key order.
   */
  public String seriesList(Subscription subscription, int limit) {
    StringBuilder sb = new StringBuilder(256).append("{\"series\":[");
    int total = 0;
    for (SeriesSnapshot s : latest.series()) {
      if (subscription.matches(s)) {
        if (total < limit) {
          sb.append(total > 0 ? ",{" : "{");
          LiveJson.identity(sb, s);
          sb.append('}');
        }
        total++;
      }
    }
    return sb.append("],\"total\":").append(total).append('}').toString();
  }

  /**
   * {@code GET /api/series/{key}?window=}: the series' identity and its points of the last {@code
   * windowMillis} (only the latest one if it keeps no history); null if there is no such series.
   */
  public String seriesHistory(String liveKey, long windowMillis) {
    long after = latest.tickMillis() - windowMillis;
    History.Ring ring = history.ring(liveKey);
    StringBuilder sb = new StringBuilder(1024);
    if (ring != null) {
      ring.write(sb, after);
      return sb.toString();
    }
    for (SeriesSnapshot s : latest.series()) {
      if (LiveJson.key(s).equals(liveKey)) {
        writeCurrent(sb, s);
        return sb.toString();
      }
    }
    return null;
  }

  private String snapshotFrame(Subscription subscription) {
    stats.encodings.increment();
    StringBuilder sb =
        new StringBuilder(256)
            .append("{\"type\":\"snapshot\",\"ts\":")
            .append(latest.tickMillis())
            .append(",\"series\":[");
    int n = 0;
    int total = 0;
    for (SeriesSnapshot s : latest.series()) {
      if (subscription.matches(s)) {
        if (n < options.getMaxSeries()) {
          if (n++ > 0) {
            sb.append(',');
          }
          LiveJson.series(sb, s);
        }
        total++;
      }
    }
    sb.append(']');
    if (total > n) {
      sb.append(",\"total\":").append(total);
    }
    return sb.append('}').toString();
  }

  private String backfill(Subscription subscription, long afterMillis) {
    StringBuilder sb = new StringBuilder(1024).append("{\"type\":\"backfill\",\"series\":[");
    int n = 0;
    for (SeriesSnapshot s : latest.series()) {
      if (n >= options.getMaxSeries()) {
        break;
      }
      if (sb.length() > MAX_BACKFILL_CHARS) {
        sb.append("],\"truncated\":true}"); // the rest comes with the snapshots
        return sb.toString();
      }
      if (subscription.matches(s)) {
        if (n++ > 0) {
          sb.append(',');
        }
        History.Ring ring = history.ring(s.key());
        if (ring != null) {
          ring.write(sb, afterMillis);
        } else {
          writeCurrent(sb, s);
        }
      }
    }
    return sb.append("]}").toString();
  }

  /** A series without history: its identity and the latest tick as its one point. */
  private void writeCurrent(StringBuilder sb, SeriesSnapshot s) {
    sb.append('{');
    LiveJson.identity(sb, s);
    sb.append(",\"points\":[{\"ts\":").append(latest.tickMillis());
    LiveJson.values(sb, s);
    sb.append("}]}");
  }

  private static final class Subscriber {
    final LiveConnection connection;
    Subscription subscription;
    LogQuery tail;
    String pending;
    String pendingType;
    long pendingTick;
    long fullSinceMillis;

    Subscriber(LiveConnection connection) {
      this.connection = connection;
    }
  }
}
