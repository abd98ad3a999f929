package dev.tally.verticles.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.SpanEvent;
import dev.tally.protocol.model.TraceSpan;
import dev.tally.verticles.trace.TraceStoreStats.KeepReason;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's logic with an injected clock: sampling, decisions, bounds, queries, detail. */
class TraceStoreTest {
  static final long MS = 1_000_000L;
  static final long T0 = 1_700_000_000_000L * MS;
  static final long SLOW = 500 * MS;
  static final TraceQuery ALL = new TraceQuery(null, 0, null, 0, Long.MAX_VALUE, 100);

  private final TraceStoreStats stats = new TraceStoreStats();

  @Test
  void errorAndSlowTracesAreKeptAndTheRestSampledOutAfterTheWait() {
    TraceStore store = store(1000, 1 << 20, 0.0);
    store.add(
        List.of(
            span(1, 1, 0, "fast", 0, 10, false),
            span(2, 1, 0, "failing", 0, 10, true),
            span(3, 1, 0, "slow root", 0, 10, false),
            span(3, 2, 1, "slow child", 5, 600, false)),
        0);
    // qualifying pending traces are visible at once; the fast one is not
    assertThat(ids(store.query(ALL))).containsExactlyInAnyOrder(2L, 3L);
    assertThat(store.get(0, 1)).isNull();
    store.decide(999);
    assertThat(stats.traces()).isEqualTo(3);
    store.decide(1000);
    assertThat(stats.traces()).isEqualTo(2);
    assertThat(stats.tracesSampledOut()).isEqualTo(1);
    assertThat(stats.spansSampledOut()).isEqualTo(1);
    assertThat(stats.tracesKept(KeepReason.ERROR)).isEqualTo(1);
    assertThat(stats.tracesKept(KeepReason.SLOW)).isEqualTo(1);
    assertThat(stats.spans()).isEqualTo(3);
  }

  @Test
  void theRatioKeepsTheSameTracesWhateverTheOrder() {
    java.util.Set<Long> forward = keptByRatio(true);
    java.util.Set<Long> backward = keptByRatio(false);
    assertThat(backward).isEqualTo(forward);
    // about a quarter of ids spread over the id space; the set is fixed by the ids alone
    assertThat(forward.size()).isBetween(850, 1150);
    assertThat(stats.tracesKept(KeepReason.SAMPLED)).isEqualTo(2L * forward.size());
  }

  /** The ids of 4 000 one-span traces a 0.25 ratio keeps, added in one order or the other. */
  private java.util.Set<Long> keptByRatio(boolean ascending) {
    TraceStore store = store(100_000, 1L << 30, 0.25);
    for (long n = 1; n <= 4000; n++) {
      long id = (ascending ? n : 4001 - n) * 0x9E3779B97F4A7C15L;
      store.add(List.of(span(id, 1, 0, "x", 0, 1, false)), 0);
    }
    store.decide(1000);
    return new java.util.HashSet<>(
        ids(store.query(new TraceQuery(null, 0, null, 0, Long.MAX_VALUE, 4000))));
  }

  @Test
  void boundsEvictWholeTracesOldestFirstAndCountThem() {
    TraceStore store = store(5, 1L << 30, 1.0);
    store.add(List.of(span(1, 1, 0, "a", 0, 1, false), span(1, 2, 1, "a2", 0, 1, false)), 0);
    store.add(List.of(span(2, 1, 0, "b", 0, 1, false), span(2, 2, 1, "b2", 0, 1, false)), 1);
    store.decide(2000);
    store.add(List.of(span(3, 1, 0, "c", 0, 1, false), span(3, 2, 1, "c2", 0, 1, false)), 2);
    assertThat(stats.tracesEvicted()).isEqualTo(1);
    assertThat(stats.spansEvicted()).isEqualTo(2);
    assertThat(ids(store.query(ALL))).containsExactly(3L, 2L);
    // the byte bound evicts the same way
    long oneTrace =
        StoredTrace.OVERHEAD_BYTES + span(1, 1, 0, "a", 0, 1, false).estimatedBytes() + 4;
    TraceStore small = store(1000, oneTrace * 3 / 2, 1.0);
    small.add(List.of(span(1, 1, 0, "a", 0, 1, false)), 0);
    small.add(List.of(span(2, 1, 0, "b", 0, 1, false)), 0);
    assertThat(ids(small.query(ALL))).containsExactly(2L);
  }

  @Test
  void undecidedTracesAreEvictedBeforeKeptOnes() {
    TraceStore store = store(3, 1L << 30, 0.0);
    store.add(List.of(span(1, 1, 0, "failing", 0, 1, true)), 0);
    for (long id = 2; id <= 5; id++) { // fast and fine: undecided until the wait is over
      store.add(List.of(span(id, 1, 0, "fast", 0, 1, false)), id);
    }
    assertThat(stats.tracesEvicted()).isEqualTo(2);
    assertThat(ids(store.query(ALL))).containsExactly(1L);
    store.decide(10_000);
    assertThat(stats.tracesSampledOut()).isEqualTo(2); // 4 and 5
    assertThat(ids(store.query(ALL))).containsExactly(1L);
    assertThat(stats.spans()).isEqualTo(1);
  }

  @Test
  void theRatioKeepsWhatOpenTelemetrysRatioSamplerKeeps() {
    TraceStore store = store(100_000, 1L << 30, 0.5);
    // TraceIdRatioBased keeps a trace if |low 8 bytes| < ratio * Long.MAX_VALUE
    store.add(List.of(span(Long.MIN_VALUE + 1, 1, 0, "far below", 0, 1, false)), 0);
    store.add(List.of(span(Long.MAX_VALUE / 4, 1, 0, "under", 0, 1, false)), 0);
    store.add(List.of(span(-(Long.MAX_VALUE / 4), 1, 0, "negative under", 0, 1, false)), 0);
    assertThat(store.query(ALL))
        .extracting(t -> t.root().name())
        .containsExactlyInAnyOrder("under", "negative under");
  }

  @Test
  void queriesFilterByServiceDurationStatusAndTime() {
    TraceStore store = store(1000, 1L << 30, 1.0);
    store.add(
        List.of(
            span(1, 1, 0, "GET /a", 0, 100, false),
            span(2, 1, 0, "GET /b", 10, 20, true),
            spanOf(3, 1, 0, "GET /c", "db", 20, 1000, false)),
        0);
    assertThat(ids(store.query(new TraceQuery("db", 0, null, 0, Long.MAX_VALUE, 10))))
        .containsExactly(3L);
    assertThat(ids(store.query(new TraceQuery(null, 50 * MS, null, 0, Long.MAX_VALUE, 10))))
        .containsExactly(3L, 1L);
    assertThat(ids(store.query(new TraceQuery(null, 0, true, 0, Long.MAX_VALUE, 10))))
        .containsExactly(2L);
    assertThat(ids(store.query(new TraceQuery(null, 0, false, 0, Long.MAX_VALUE, 10))))
        .containsExactly(3L, 1L);
    assertThat(ids(store.query(new TraceQuery(null, 0, null, T0 + 5 * MS, T0 + 15 * MS, 10))))
        .containsExactly(2L);
    assertThat(ids(store.query(new TraceQuery(null, 0, null, 0, Long.MAX_VALUE, 1))))
        .containsExactly(3L);
  }

  @Test
  void theDetailIsEverySpanByStartWithParentsEventsAndAttributes() {
    TraceStore store = store(1000, 1L << 30, 1.0);
    store.add(List.of(span(7, 2, 1, "child", 5, 10, true), span(7, 1, 0, "root", 0, 20, false)), 0);
    JsonObject list = TraceJson.list(store.query(ALL));
    assertThat(list.getJsonArray("traces").getJsonObject(0).getMap())
        .containsEntry("trace_id", "00000000000000000000000000000007")
        .containsEntry("service", "cart")
        .containsEntry("name", "root")
        .containsEntry("duration_ms", 20.0)
        .containsEntry("span_count", 2)
        .containsEntry("error", true);
    JsonObject detail = TraceJson.detail(store.get(0, 7));
    JsonObject child = detail.getJsonArray("spans").getJsonObject(1);
    assertThat(child.getString("parent_span_id")).isEqualTo("0000000000000001");
    assertThat(child.getString("status")).isEqualTo("error");
    assertThat(child.getString("kind")).isEqualTo("server");
    assertThat(child.getDouble("start") - detail.getDouble("start")).isEqualTo(5.0);
    // epoch milliseconds are written out in full, not as 1.7E12
    assertThat(detail.encode()).doesNotContainPattern("\"(start|ts)\":[-0-9.]+[eE]");
    assertThat(detail.encode()).containsPattern("\"start\":[0-9]{13}\\.[0-9]{3}[,}]");
    assertThat(child.getJsonObject("attributes").getString("http.route")).isEqualTo("/child");
    assertThat(child.getJsonArray("events").getJsonObject(0).getString("name"))
        .isEqualTo("exception");
  }

  private TraceStore store(int maxSpans, long maxBytes, double ratio) {
    return new TraceStore(
        new TraceStoreOptions()
            .setMaxSpans(maxSpans)
            .setMaxBytes(maxBytes)
            .setSampleRatio(ratio)
            .setSlowNanos(SLOW)
            .setDecisionWaitMillis(1000),
        stats);
  }

  private static List<Long> ids(List<StoredTrace> traces) {
    return traces.stream().map(t -> t.key.low()).toList();
  }

  @Test
  void aServiceIsFoundByItsNameAndByItsMetricsJob() {
    TraceStore store = store(1000, 1L << 30, 1.0);
    TraceSpan shop = spanOf(4, 1, 0, "GET /cart", "shop", 0, 10, false);
    store.add(
        List.of(
            new TraceSpan(
                0,
                shop.traceIdLow(),
                shop.spanId(),
                shop.parentSpanId(),
                shop.name(),
                shop.service(),
                shop.kind(),
                shop.startNanos(),
                shop.endNanos(),
                shop.status(),
                "",
                shop.attributes(),
                0,
                shop.events(),
                new String[] {"service.name", "shop", "service.namespace", "toy"},
                0),
            span(5, 1, 0, "GET /a", 0, 10, false)),
        0);
    // its metrics say job="toy/shop"; the trace says service "shop": either finds it
    assertThat(ids(store.query(new TraceQuery("toy/shop", 0, null, 0, Long.MAX_VALUE, 10))))
        .containsExactly(4L);
    assertThat(ids(store.query(new TraceQuery("shop", 0, null, 0, Long.MAX_VALUE, 10))))
        .containsExactly(4L);
    assertThat(ids(store.query(new TraceQuery("toy/cart", 0, null, 0, Long.MAX_VALUE, 10))))
        .isEmpty();
  }

  static TraceSpan span(
      long trace, long id, long parent, String name, long startMs, long endMs, boolean error) {
    return spanOf(trace, id, parent, name, "cart", startMs, endMs, error);
  }

  static TraceSpan spanOf(
      long trace,
      long id,
      long parent,
      String name,
      String service,
      long startMs,
      long endMs,
      boolean error) {
    return new TraceSpan(
        0,
        trace,
        id,
        parent,
        name,
        service,
        2,
        T0 + startMs * MS,
        T0 + endMs * MS,
        error ? TraceSpan.STATUS_ERROR : TraceSpan.STATUS_UNSET,
        "",
        new String[] {"http.route", "/" + name},
        0,
        new SpanEvent[] {new SpanEvent(T0, "exception", new String[0], 0)},
        new String[] {"service.name", service},
        0);
  }
}
