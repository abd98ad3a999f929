package dev.tally.verticles.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.SampleBatch;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.aggregate.SeriesLimiter;
import dev.tally.verticles.aggregate.ShardAggregator;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.stats.PipelineStats;
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
      new LiveFeed(new LiveOptions().setMaxClients(3).setSlowCloseMillis(3000), stats);
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
    tick("a:1|c");
    tick("a:1|c"); // replaces the waiting frame
    assertThat(stats.framesCoalesced()).isEqualTo(1);
    slow.full = false;
    feed.drained(slow);
    assertThat(slow.types()).containsExactly("hello", "backfill", "snapshot");
    assertThat(slow.json(2).getJsonArray("series").getJsonObject(0).getDouble("value"))
        .isEqualTo(3); // the newest, not the one that waited first

    slow.full = true;
    for (int i = 0; i < 5; i++) {
      tick("a:1|c");
    }
    assertThat(slow.closedWith).startsWith("too slow");
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
    feed.subscribe(c, Subscription.ALL, Long.MIN_VALUE);
    feed.reply(c, "error", "{\"type\":\"error\"}");
    assertThat(c.types()).containsExactly("hello");
    c.full = false;
    feed.drained(c);
    assertThat(c.types()).containsExactly("hello", "backfill");
  }

  @Test
  void anUnsubscribedClientThatStaysFullIsClosedAtHeartbeat() {
    Recording c = new Recording();
    feed.open(c, null, 0);
    c.full = true;
    feed.heartbeat(T0);
    feed.heartbeat(T0 + 2000);
    assertThat(c.closedWith).isNull();
    feed.heartbeat(T0 + 3000);
    assertThat(c.closedWith).startsWith("too slow");
    assertThat(feed.clients()).isZero();
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
    JsonObject list = new JsonObject(feed.seriesList(Subscription.parse("api.lat*"), 10));
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
    assertThat(new JsonObject(feed.seriesList(Subscription.ALL, 1)).getInteger("total"))
        .isEqualTo(2);
  }

  /** A transport that records what it is given and can pretend to be full. */
  static final class Recording implements LiveConnection {
    final List<String> frames = new ArrayList<>();
    boolean full;
    String closedWith;

    @Override
    public String transport() {
      return "sse";
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void write(String type, long id, String json) {
      frames.add(type + "\n" + json);
    }

    @Override
    public void heartbeat() {}

    @Override
    public void close(String reason) {
      closedWith = reason;
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
