package dev.tally.verticles.live;

import dev.tally.protocol.model.LogEntry;
import dev.tally.verticles.logs.LogJson;
import dev.tally.verticles.logs.LogQuery;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Future;
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
 * A snapshot frame is encoded once per distinct subscription per tick and shared by its clients.
 *
 * <p>Memory is bounded whatever the clients do. The feed counts the bytes it has written to each
 * client that its socket has not taken yet (a write's future completes when they leave the
 * process). A client holding more than {@link LiveOptions#getClientMaxBytes()}, or any write that
 * would take all clients together over {@link LiveOptions#getMaxBytes()}, gets no write: the client
 * keeps one pending mark instead (a snapshot or a backfill, latest wins, the replaced one counted
 * as coalesced), and the message is built when it can take it. A client whose socket has taken
 * nothing for {@link LiveOptions#getSlowCloseMillis()} while it held bytes is closed. Backfills are
 * shared by equal subscriptions within a tick and cut at {@link #MAX_BACKFILL_CHARS}; a client may
 * subscribe {@link LiveOptions#getMaxSubscribes()} times in 10 s. Replies to a client that cannot
 * take them are dropped. Confined to one thread (the HTTP listener's event loop).
 */
public final class LiveFeed {
  /** The largest backfill message, in characters: beyond it, series are left out. */
  static final int MAX_BACKFILL_CHARS = 4 << 20;

  /**
   * Characters of frames and backfills kept for reuse within a tick; beyond, each is built anew.
   */
  static final long MAX_CACHED_CHARS = 32L << 20;

  /** Log records the live tail keeps per tick (the newest), over every client's filter. */
  public static final int MAX_TAIL_RECORDS = 500;

  /** The bytes a heartbeat is counted as. */
  private static final int HEARTBEAT_BYTES = 16;

  private final LiveOptions options;
  private final LiveStats stats;
  private final History history;
  private final Map<LiveConnection, Subscriber> subscribers = new LinkedHashMap<>();
  private final Map<Subscription, String> frames = new HashMap<>();
  private final Map<Subscription, String> backfills = new HashMap<>();
  private long cachedChars; // in frames and backfills
  private long unflushed; // written to every client, not yet taken by their sockets
  private long now; // the latest time the feed was given (tick, heartbeat)
  private boolean pressed; // a write waited for the global bound since the last tick
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
    Subscriber s = new Subscriber(c);
    subscribers.put(c, s);
    stats.counter(c.transport()).incrementAndGet();
    write(s, "hello", 0, hello());
    if (subscription != null) {
      subscribe(c, subscription, afterMillis);
    }
    return true;
  }

  /**
   * Changes a client's subscription and sends the backfill of the new one (when the client can take
   * it).
   *
   * @return false if the client has already subscribed {@link LiveOptions#getMaxSubscribes()} times
   *     in the last 10 s: nothing changed, the caller answers with an error
   */
  public boolean subscribe(LiveConnection c, Subscription subscription, long afterMillis) {
    Subscriber s = subscribers.get(c);
    if (s == null) {
      return true;
    }
    if (now - s.subscribeWindowStart >= LiveOptions.SUBSCRIBE_WINDOW_MILLIS) {
      s.subscribeWindowStart = now;
      s.subscribes = 0;
    }
    if (s.subscribes >= options.getMaxSubscribes()) {
      stats.subscribesRefused.increment();
      return false;
    }
    s.subscribes++;
    s.subscription = subscription;
    mark(s, Pending.BACKFILL);
    s.pendingAfter = afterMillis;
    flush(s);
    return true;
  }

  /** Sends a client a reply (an error, say) unless it cannot take it now, when it is dropped. */
  public void reply(LiveConnection c, String type, String json) {
    Subscriber s = subscribers.get(c);
    if (s != null && fits(s, json.length())) {
      write(s, type, 0, json);
    }
  }

  /**
   * Sends every client one message (an alert's change of state): written now to those that can take
   * it, skipped for the others (the alert stays in {@code /api/alerts}).
   */
  public void broadcast(String type, String json) {
    for (Subscriber s : subscribers.values()) {
      if (fits(s, json.length())) {
        write(s, type, 0, json);
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
      String frame =
          tailFrames.computeIfAbsent(
              s.tail, q -> new JsonObject().put("type", "logs").put("logs", logs).encode());
      if (fits(s, frame.length())) {
        write(s, "logs", 0, frame);
      } else {
        stats.logsDropped.add(logs.size());
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
      s.pending = Pending.NONE;
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

  /** Takes a tick: records history, then sends each subscribed client its frame. */
  public void onTick(TickSnapshot tick, long nowMillis) {
    now = nowMillis;
    history.record(tick);
    latest = tick;
    frames.clear();
    backfills.clear();
    cachedChars = 0;
    List<Subscriber> closing = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (s.subscription != null) {
        // a waiting backfill already ends with this tick: it takes the snapshot's place
        mark(s, s.pending == Pending.BACKFILL ? Pending.BACKFILL : Pending.SNAPSHOT);
        flush(s);
      }
      if (tooSlow(s) || (pressed && stalled(s, pressedCloseMillis()))) {
        closing.add(s);
      }
    }
    pressed = false;
    close(closing);
    flushTail();
  }

  /**
   * While writes wait for the global bound, a client whose socket has taken nothing for this long
   * is closed (a sixth of the slow-client limit, at least two ticks): clients that do not read must
   * not hold the others' frames back for the whole limit.
   */
  private long pressedCloseMillis() {
    return Math.min(
        options.getSlowCloseMillis(),
        Math.max(2 * options.getTickMillis(), options.getSlowCloseMillis() / 6));
  }

  /**
   * Sends every client a heartbeat (an SSE comment, a WebSocket ping) unless it holds unsent bytes;
   * closes the clients, subscribed or not, whose sockets have taken nothing for too long.
   */
  public void heartbeat(long nowMillis) {
    now = nowMillis;
    List<Subscriber> closing = new ArrayList<>();
    for (Subscriber s : subscribers.values()) {
      if (s.unflushed == 0) {
        track(s, HEARTBEAT_BYTES, s.connection.heartbeat());
      } else if (tooSlow(s)) {
        closing.add(s);
      }
    }
    close(closing);
  }

  /** Sets a client's pending message; one that waited is replaced, and counted as coalesced. */
  private void mark(Subscriber s, Pending p) {
    if (s.pending != Pending.NONE) {
      stats.framesCoalesced.increment(); // the older waiting message is never sent
    }
    s.pending = p;
  }

  /** Builds and writes a client's pending message if it can take it now; else it keeps waiting. */
  private void flush(Subscriber s) {
    if (s.pending == Pending.NONE || !fits(s, 1)) {
      return;
    }
    String json;
    String type;
    long id = latest.tickMillis();
    if (s.pending == Pending.SNAPSHOT) {
      type = "snapshot";
      json = cached(frames, s.subscription, this::snapshotFrame);
    } else {
      type = "backfill";
      json =
          s.pendingAfter == Long.MIN_VALUE
              ? cached(backfills, s.subscription, sub -> backfill(sub, Long.MIN_VALUE))
              : backfill(s.subscription, s.pendingAfter);
    }
    if (fits(s, json.length())) {
      s.pending = Pending.NONE;
      write(s, type, id, json);
    }
  }

  /** A message shared within the tick, kept while the cache is under {@link #MAX_CACHED_CHARS}. */
  private String cached(
      Map<Subscription, String> cache,
      Subscription subscription,
      java.util.function.Function<Subscription, String> build) {
    String json = cache.get(subscription);
    if (json == null) {
      json = build.apply(subscription);
      if (cachedChars + json.length() <= MAX_CACHED_CHARS) {
        cache.put(subscription, json);
        cachedChars += json.length();
      }
    }
    return json;
  }

  /**
   * True if a message of {@code bytes} may be written to the client now: it holds nothing or stays
   * within its own bound, and all clients together stay within theirs (or hold nothing).
   */
  private boolean fits(Subscriber s, long bytes) {
    if (s.unflushed != 0 && s.unflushed + bytes > options.getClientMaxBytes()) {
      return false;
    }
    if (unflushed != 0 && unflushed + bytes > options.getMaxBytes()) {
      pressed = true;
      return false;
    }
    return true;
  }

  /** Writes a message and counts its bytes as held until the socket takes them. */
  private void write(Subscriber s, String type, long id, String json) {
    stats.framesSent.increment();
    track(s, json.length(), s.connection.write(type, id, json));
  }

  private void track(Subscriber s, long bytes, Future<?> written) {
    if (s.unflushed == 0) {
      s.progressMillis = now; // the slow-client clock starts
    }
    s.unflushed += bytes;
    unflushed += bytes;
    stats.unflushedBytes.set(unflushed);
    written.onComplete(
        ar -> {
          s.unflushed -= bytes;
          unflushed -= bytes;
          stats.unflushedBytes.set(unflushed);
          s.progressMillis = now;
          if (subscribers.get(s.connection) == s) {
            flush(s); // it has room again: what waited goes now
          }
        });
  }

  /** True once the client has held unsent bytes and taken none for the slow-client limit. */
  private boolean tooSlow(Subscriber s) {
    return stalled(s, options.getSlowCloseMillis());
  }

  private boolean stalled(Subscriber s, long millis) {
    return s.unflushed > 0 && now - s.progressMillis >= millis;
  }

  private void close(List<Subscriber> closing) {
    for (Subscriber s : closing) {
      stats.closedSlow.increment();
      if (s.pending != Pending.NONE) {
        stats.framesCoalesced.increment(); // its waiting message
      }
      closed(s.connection);
      s.connection.close();
    }
  }

  /** The latest assembled tick. */
  public TickSnapshot latest() {
    return latest;
  }

  /** Subscribe messages one client may send in 10 s. */
  public int maxSubscribes() {
    return options.getMaxSubscribes();
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
   * limit} of the matching series after the first {@code offset}, in key order; {@code total}
   * counts them all.
   */
  public String seriesList(Subscription subscription, int offset, int limit) {
    StringBuilder sb = new StringBuilder(256).append("{\"series\":[");
    int total = 0;
    int shown = 0;
    for (SeriesSnapshot s : latest.series()) {
      if (subscription.matches(s)) {
        if (total >= offset && shown < limit) {
          sb.append(shown++ > 0 ? ",{" : "{");
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
    SeriesSnapshot current = current(liveKey);
    StringBuilder sb = new StringBuilder(1024);
    if (ring != null) {
      ring.write(sb, after);
    } else if (current != null) {
      writeCurrent(sb, current);
    } else {
      return null;
    }
    if (current != null && current.exemplarCount() > 0) {
      sb.setLength(sb.length() - 1); // inside the series' object
      LiveJson.exemplars(sb, current, after);
      sb.append('}');
    }
    return sb.toString();
  }

  /** The latest snapshot of the series {@code family{labels}}; null if there is none. */
  private SeriesSnapshot current(String liveKey) {
    int brace = liveKey.indexOf('{');
    return brace < 0 || !liveKey.endsWith("}")
        ? null
        : latest.find(
            liveKey.substring(0, brace), liveKey.substring(brace + 1, liveKey.length() - 1));
  }

  private String snapshotFrame(Subscription subscription) {
    stats.encodings.increment();
    StringBuilder sb =
        new StringBuilder(256)
            .append("{\"type\":\"snapshot\",\"ts\":")
            .append(latest.tickMillis())
            .append(",\"series\":[");
    Carried carried = carried(subscription);
    for (int i = 0; i < carried.series.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      LiveJson.series(sb, carried.series.get(i));
    }
    sb.append(']');
    if (carried.total > carried.series.size()) {
      sb.append(",\"total\":").append(carried.total);
    }
    return sb.append('}').toString();
  }

  /** The series a subscription gets at a tick, and how many matched. */
  private record Carried(List<SeriesSnapshot> series, int total) {}

  /**
   * The series a subscription gets at this tick: at most {@code max-series} of its matches, first
   * those one of its name items names exactly (the dashboard's pinned metrics: they must not be
   * cut), then the others in key order.
   */
  private Carried carried(Subscription subscription) {
    int max = options.getMaxSeries();
    List<SeriesSnapshot> named = new ArrayList<>();
    List<SeriesSnapshot> others = new ArrayList<>();
    int total = 0;
    for (SeriesSnapshot s : latest.series()) {
      if (subscription.matches(s)) {
        total++;
        List<SeriesSnapshot> to = subscription.namesExactly(s) ? named : others;
        if (to.size() < max) {
          to.add(s);
        }
      }
    }
    if (named.size() < max) {
      named.addAll(others.subList(0, Math.min(others.size(), max - named.size())));
    }
    return new Carried(named, total);
  }

  private String backfill(Subscription subscription, long afterMillis) {
    StringBuilder sb = new StringBuilder(1024).append("{\"type\":\"backfill\",\"series\":[");
    int n = 0;
    for (SeriesSnapshot s : carried(subscription).series) {
      if (sb.length() > MAX_BACKFILL_CHARS) {
        sb.append("],\"truncated\":true}"); // the rest comes with the snapshots
        return sb.toString();
      }
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

  /** What a client still has to get when it can take it. */
  private enum Pending {
    NONE,
    SNAPSHOT,
    BACKFILL
  }

  private static final class Subscriber {
    final LiveConnection connection;
    Subscription subscription;
    LogQuery tail;
    Pending pending = Pending.NONE;
    long pendingAfter; // of a pending backfill: the points after this time
    long unflushed; // bytes written, not yet taken by the socket
    long progressMillis; // when the socket last took bytes, or began to hold some
    long subscribeWindowStart;
    int subscribes; // in the window

    Subscriber(LiveConnection connection) {
      this.connection = connection;
    }
  }
}
