package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.stats.PipelineStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feed's logic with real shard snapshots and recording transports. */
class LiveFeedTest {
  private static final long T0 = 1_700_000_000_000L;

  private final StatsdLineParser parser = new StatsdLineParser(new StatsdParserOptions());
  private final ShardAggregator shard =
      new ShardAggregator(0, new AggregatorOptions(), new SeriesLimiter(1000), new PipelineStats());
  private final TickAssembler assembler = new TickAssembler(1);
  private final LiveStats stats = new LiveStats();
  private final LiveFeed feed =
      new LiveFeed(
          new LiveOptions().setMaxClients(3).setSlowCloseMillis(3000).setClientMaxBytes(1), stats);
  private long now = T0;

  private void tick(String... lines) {
    SampleBatch batch = new SampleBatch();
    byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), now);
    now += 1000;
    ShardSnapshot s = shard.tick(now);
    feed.onTick(assembler.add(s), now);
  }

  @Test
  void clientsGetHelloBackfillAndSnapshotsOfTheirSubscriptionOnly() {
    tick("api.requests:3|c|#env:prod", "queue.depth:7|g");
    tick("api.requests:2|c|#env:prod");
    Recording c = new Recording();
    assertThat(feed.open(c, Subscription.parse("api.*"), Long.MIN_VALUE)).isTrue();
    tick("api.requests:1|c|#env:prod", "queue.depth:9|g");

    assertThat(c.types()).containsExactly("hello", "backfill", "snapshot");
    JsonObject hello = c.json(0);
    assertThat(hello.getLong("tick_ms")).isEqualTo(1000);
    JsonArray backfill = c.json(1).getJsonArray("series");
    assertThat(backfill).hasSize(1);
    JsonObject series = backfill.getJsonObject(0);
    assertThat(series.getString("key")).isEqualTo("api_requests_total{env=\"prod\"}");
    assertThat(series.getString("kind")).isEqualTo("counter");
    assertThat(series.getJsonObject("tags").getString("env")).isEqualTo("prod");
    assertThat(series.getJsonArray("points")).hasSize(2);
    assertThat(series.getJsonArray("points").getJsonObject(1).getDouble("value")).isEqualTo(5);
    JsonObject snapshot = c.json(2);
    assertThat(snapshot.getLong("ts")).isEqualTo(now);
    JsonObject s = snapshot.getJsonArray("series").getJsonObject(0);
    assertThat(snapshot.getJsonArray("series")).hasSize(1);
    assertThat(s.getDouble("value")).isEqualTo(6);
    assertThat(s.getDouble("rate")).isEqualTo(1);
  }

  /**
   * Beyond max-series a subscription gets the first matches in key order, but a metric one of its
   * items names exactly (a pinned panel) first, and the snapshot says how many matched.
   */
  @Test
  void aMetricNamedExactlyIsCarriedEvenBeyondTheSeriesLimit() {
    LiveFeed small = new LiveFeed(new LiveOptions().setMaxClients(3).setMaxSeries(2), stats);
    SampleBatch batch = new SampleBatch();
    byte[] b = "a:1|c\nb:1|c\nc:1|c\nz.last:1|g".getBytes(StandardCharsets.UTF_8);
    parser.parse(b, 0, b.length, batch::add);
    shard.accept(batch.seal(), now);
    Recording c = new Recording();
    assertThat(small.open(c, Subscription.parse("*,z.last"), Long.MIN_VALUE)).isTrue();
    small.onTick(assembler.add(shard.tick(now += 1000)), now);
    JsonObject snapshot = c.json(c.frames.size() - 1);
    assertThat(snapshot.getString("type")).isEqualTo("snapshot");
    assertThat(snapshot.getJsonArray("series").stream().map(o -> ((JsonObject) o).getString("key")))
        .containsExactly("z_last{}", "a_total{}");
    assertThat(snapshot.getInteger("total")).isEqualTo(4);
  }

  @Test
  void aResumingClientGetsOnlyThePointsAfterItsLastEventId() {
    tick("a:1|c");
    long lastSeen = now;
    tick("a:1|c");
    tick("a:1|c");
    Recording c = new Recording();
    feed.open(c, Subscription.ALL, lastSeen);
    JsonArray points = c.json(1).getJsonArray("series").getJsonObject(0).getJsonArray("points");
    assertThat(points).hasSize(2);
    assertThat(points.getJsonObject(0).getLong("ts")).isEqualTo(lastSeen + 1000);
  }

  @Test
  void oneEncodingPerDistinctSubscriptionPerTick() {
    tick("a:1|c", "b:1|g");
    for (int i = 0; i < 3; i++) {
      feed.open(new Recording(), Subscription.parse(i == 2 ? "b" : "a,a"), Long.MIN_VALUE);
    }
    long before = stats.encodings();
    tick("a:1|c");
    assertThat(stats.encodings() - before).isEqualTo(2);
  }

  @Test
  void aFullClientGetsTheLatestFrameOnlyAndIsClosedWhenItStaysFull() {
    tick("a:1|c");
    Recording slow = new Recording();
    feed.open(slow, Subscription.ALL, Long.MIN_VALUE);
    slow.full = true;
    tick("a:1|c"); // written, and held by the socket
    tick("a:1|c"); // waits
    tick("a:1|c"); // replaces the waiting frame
    assertThat(stats.framesCoalesced()).isEqualTo(1);
    assertThat(stats.unflushedBytes()).isPositive();
    slow.drain();
    assertThat(stats.unflushedBytes()).isZero();
    assertThat(slow.types()).containsExactly("hello", "backfill", "snapshot", "snapshot");
    assertThat(slow.json(3).getJsonArray("series").getJsonObject(0).getDouble("value"))
        .isEqualTo(4); // the newest, not the one that waited first

    slow.full = true;
    for (int i = 0; i < 5; i++) {
      tick("a:1|c");
    }
    assertThat(slow.closed).isTrue();
    assertThat(stats.closedSlow()).isEqualTo(1);
    assertThat(feed.clients()).isZero();
    assertThat(stats.clients("sse")).isZero();
  }

  @Test
  void aFullClientsBackfillWaitsInItsSlotAndRepliesToItAreDropped() {
    tick("a:1|c");
    Recording c = new Recording();
    feed.open(c, null, 0);
    c.full = true;
    feed.heartbeat(now); // held by the socket
    feed.subscribe(c, Subscription.ALL, Long.MIN_VALUE);
    feed.reply(c, "error", "{\"type\":\"error\"}");
    assertThat(c.types()).containsExactly("hello");
    c.drain();
    assertThat(c.types()).containsExactly("hello", "backfill");
  }

  @Test
  void anUnsubscribedClientThatStaysFullIsClosedAtHeartbeat() {
    Recording c = new Recording();
    feed.open(c, null, 0);
    c.full = true;
    feed.heartbeat(T0);
    feed.heartbeat(T0 + 2000);
    assertThat(c.closed).isFalse();
    feed.heartbeat(T0 + 3000);
    assertThat(c.closed).isTrue();
    assertThat(feed.clients()).isZero();
  }

  @Test
  void clientsThatDoNotReadHoldNoMoreThanTheGlobalBoundAndReadersGoOn() {
    LiveStats own = new LiveStats();
    LiveFeed bounded =
        new LiveFeed(
            new LiveOptions()
                .setMaxClients(100)
                .setClientMaxBytes(1 << 20)
                .setMaxBytes(4096)
                .setSlowCloseMillis(3000),
            own);
    List<Recording> stuck = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Recording r = new Recording();
      r.full = true; // never reads
      bounded.open(r, Subscription.ALL, Long.MIN_VALUE);
      stuck.add(r);
    }
    Recording reader = new Recording();
    bounded.open(reader, Subscription.ALL, Long.MIN_VALUE);
    for (int t = 0; t < 8; t++) {
      SampleBatch batch = new SampleBatch();
      for (int i = 0; i < 20; i++) {
        byte[] b = ("wide.metric" + i + ":1|c|#env:prod").getBytes(StandardCharsets.UTF_8);
        parser.parse(b, 0, b.length, batch::add);
      }
      shard.accept(batch.seal(), now);
      now += 1000;
      bounded.onTick(assembler.add(shard.tick(now)), now);
      // the bound holds at every tick: one frame over it at most (the one that began the excess)
      assertThat(own.unflushedBytes()).isLessThanOrEqualTo(4096 + 4096);
    }
    // the stuck clients are closed within two ticks of pressure, long before the 3 s limit, and
    // the reader gets every snapshot from then on
    assertThat(stuck).allSatisfy(r -> assertThat(r.closed).isTrue());
    assertThat(reader.types().stream().filter("snapshot"::equals).count())
        .isGreaterThanOrEqualTo(5);
    assertThat(reader.types().get(reader.types().size() - 1)).isEqualTo("snapshot");
    assertThat(reader.json(reader.frames.size() - 1).getLong("ts")).isEqualTo(now);
    assertThat(own.unflushedBytes()).isZero(); // closed: their sockets' futures failed
    assertThat(bounded.clients()).isEqualTo(1);
  }

  @Test
  void aClientMaySubscribeOnlySoOftenIn10Seconds() {
    LiveFeed limited = new LiveFeed(new LiveOptions().setMaxSubscribes(3), stats);
    Recording c = new Recording();
    limited.open(c, null, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(limited.subscribe(c, Subscription.parse("a" + i + "*"), Long.MIN_VALUE)).isTrue();
    }
    assertThat(limited.subscribe(c, Subscription.parse("b*"), Long.MIN_VALUE)).isFalse();
    assertThat(stats.subscribesRefused()).isEqualTo(1);
    limited.heartbeat(T0 + 10_000);
    assertThat(limited.subscribe(c, Subscription.parse("b*"), Long.MIN_VALUE)).isTrue();
  }

  @Test
  void clientsBeyondTheLimitAreRefused() {
    for (int i = 0; i < 3; i++) {
      assertThat(feed.open(new Recording(), null, 0)).isTrue();
    }
    assertThat(feed.open(new Recording(), null, 0)).isFalse();
    assertThat(stats.refused()).isEqualTo(1);
    assertThat(stats.clients("sse")).isEqualTo(3);
  }

  @Test
  void seriesApiListsMatchesAndServesHistory() {
    tick("api.latency:100|ms", "api.latency:300|ms", "other:1|g");
    tick("api.latency:200|ms");
    JsonObject list = new JsonObject(feed.seriesList(Subscription.parse("api.lat*"), 0, 10));
    assertThat(list.getInteger("total")).isEqualTo(1);
    String key = list.getJsonArray("series").getJsonObject(0).getString("key");
    assertThat(key).isEqualTo("api_latency_seconds{}");
    JsonObject history = new JsonObject(feed.seriesHistory(key, 60_000));
    JsonArray points = history.getJsonArray("points");
    assertThat(points).hasSize(2);
    assertThat(points.getJsonObject(0).getDouble("count")).isEqualTo(2);
    assertThat(points.getJsonObject(0).getDouble("max")).isEqualTo(0.3);
    assertThat(points.getJsonObject(1).getDouble("count")).isEqualTo(3);
    assertThat(feed.seriesHistory("nope{}", 60_000)).isNull();
    JsonObject first = new JsonObject(feed.seriesList(Subscription.ALL, 0, 1));
    assertThat(first.getInteger("total")).isEqualTo(2);
    JsonObject second = new JsonObject(feed.seriesList(Subscription.ALL, 1, 1));
    assertThat(second.getInteger("total")).isEqualTo(2);
    assertThat(second.getJsonArray("series").getJsonObject(0).getString("key"))
        .as("the page after the first")
        .isNotEqualTo(first.getJsonArray("series").getJsonObject(0).getString("key"));
    assertThat(new JsonObject(feed.seriesList(Subscription.ALL, 2, 1)).getJsonArray("series"))
        .isEmpty();
  }

  /**
   * A transport that records what it is given. Its socket takes every write at once, unless it is
   * {@code full}: then writes stay held until {@link #drain()}.
   */
  static final class Recording implements LiveConnection {
    final List<String> frames = new ArrayList<>();
    final List<Promise<Void>> held = new ArrayList<>();
    boolean full;
    boolean closed;

    @Override
    public String transport() {
      return "sse";
    }

    @Override
    public Future<?> write(String type, long id, String json) {
      frames.add(type + "\n" + json);
      return written();
    }

    @Override
    public Future<?> heartbeat() {
      return written();
    }

    private Future<?> written() {
      if (!full) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      held.add(p);
      return p.future();
    }

    /** The socket takes what it held. */
    void drain() {
      full = false;
      List<Promise<Void>> all = new ArrayList<>(held);
      held.clear();
      all.forEach(Promise::complete);
    }

    @Override
    public void close() {
      closed = true;
      List<Promise<Void>> all = new ArrayList<>(held); // a closed socket fails what it held
      held.clear();
      all.forEach(p -> p.fail("closed"));
    }

    List<String> types() {
      List<String> types = new ArrayList<>();
      for (String f : frames) {
        types.add(f.substring(0, f.indexOf('\n')));
      }
      return types;
    }

    JsonObject json(int i) {
      String f = frames.get(i);
      return new JsonObject(f.substring(f.indexOf('\n') + 1));
    }
  }
}
