package dev.tally.verticles.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LogEntry;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LogStoreTest {
  static final long T0 = 1_700_000_000_000_000_000L;
  private final LogStoreStats stats = new LogStoreStats();

  @Test
  void searchFiltersByTextRegexSeverityServiceTraceAndTimeNewestFirst() {
    LogStore store = new LogStore(100, 1 << 20, stats);
    store.add(
        List.of(
            entry(1, 9, "cart", "user ann logged in", null, 0),
            entry(2, 17, "cart", "payment FAILED for order 42", "java.io.IOException", 5),
            entry(3, 13, "auth", "token expires soon", null, 0),
            entry(4, 21, "auth", "cannot reach db", "java.net.ConnectException", 0)));
    assertThat(bodies(store, query("failed", null, 0, null, 0)))
        .containsExactly("payment FAILED for order 42");
    assertThat(bodies(store, query(null, Pattern.compile("order \\d+"), 0, null, 0)))
        .containsExactly("payment FAILED for order 42");
    assertThat(bodies(store, query(null, null, 13, null, 0)))
        .containsExactly("cannot reach db", "token expires soon", "payment FAILED for order 42");
    assertThat(bodies(store, query(null, null, 0, "auth", 0)))
        .containsExactly("cannot reach db", "token expires soon");
    assertThat(bodies(store, query(null, null, 0, null, 5)))
        .containsExactly("payment FAILED for order 42");
    assertThat(bodies(store, new LogQuery(null, null, 0, null, 0, 0, T0 + 2, T0 + 3, 10)))
        .containsExactly("token expires soon", "payment FAILED for order 42");
    assertThat(bodies(store, new LogQuery(null, null, 0, null, 0, 0, 0, Long.MAX_VALUE, 1)))
        .containsExactly("cannot reach db");
  }

  @Test
  void boundsEvictTheOldestAndCountThem() {
    LogStore store = new LogStore(3, 1 << 20, stats);
    for (int i = 1; i <= 5; i++) {
      store.add(List.of(entry(i, 9, "cart", "line " + i, null, 0)));
    }
    assertThat(bodies(store, query(null, null, 0, null, 0)))
        .containsExactly("line 5", "line 4", "line 3");
    assertThat(stats.evicted()).isEqualTo(2);
    assertThat(stats.records()).isEqualTo(3);
    LogEntry one = entry(1, 9, "cart", "x", null, 0);
    LogStore bytes =
        new LogStore(100, 2 * (one.estimatedBytes() + LogStore.SLOT_BYTES), new LogStoreStats());
    bytes.add(List.of(one, one, one));
    assertThat(bytes.search(query(null, null, 0, null, 0), RegexBudget.DEFAULT_LIMIT).entries())
        .hasSize(2);
  }

  @Test
  void aBacktrackingRegexStopsAtItsBudgetWithWhatItFound() {
    LogStore store = new LogStore(100, 1 << 20, stats);
    store.add(
        List.of(
            entry(1, 9, "cart", "______________________________________", null, 0),
            entry(2, 9, "cart", "a_b@", null, 0)));
    // Java's matcher needs minutes for this one on the first body (it was stopped after 100 s)
    LogQuery q = query(null, Pattern.compile("(\\w|_){1,64}@"), 0, null, 0);
    LogStore.Found found = store.search(q, 1_000_000);
    assertThat(found.truncated()).isTrue();
    assertThat(found.entries()).extracting(LogEntry::body).containsExactly("a_b@");
    assertThat(LogJson.list(found).getBoolean("truncated")).isTrue();
    assertThat(store.search(query(null, Pattern.compile("_@"), 0, null, 0), 1_000_000).truncated())
        .isFalse();
  }

  @Test
  void errorsAreCountedByExceptionType() {
    LogStore store = new LogStore(100, 1 << 20, stats);
    store.add(
        List.of(
            entry(1, 17, "cart", "io 1", "java.io.IOException", 0),
            entry(2, 17, "cart", "io 2", "java.io.IOException", 0),
            entry(3, 9, "cart", "info with a type", "java.lang.IllegalStateException", 0),
            entry(4, 18, "cart", "plain error", null, 0),
            entry(5, 9, "cart", "just info", null, 0)));
    JsonObject json = LogJson.errors(store.errors());
    assertThat(json.getLong("total")).isEqualTo(4);
    JsonObject first = json.getJsonArray("errors").getJsonObject(0);
    assertThat(first.getString("type")).isEqualTo("java.io.IOException");
    assertThat(first.getLong("count")).isEqualTo(2);
    assertThat(first.getJsonObject("last").getString("body")).isEqualTo("io 2");
    assertThat(json.getJsonArray("errors").size()).isEqualTo(3);
  }

  @Test
  void statsdEventsAreGroupedByAggregationKeyElseTitle() {
    LogStore store = new LogStore(100, 1 << 20, stats);
    store.add(
        List.of(
            event(1, "Deploy failed", null),
            event(2, "Deploy failed", null),
            event(3, "Disk full on web-1", "disk-full"),
            event(4, "Disk full on web-2", "disk-full"),
            event(5, "Disk full on web-3", "disk-full")));
    JsonObject json = LogJson.errors(store.errors());
    assertThat(json.getJsonArray("errors").stream().map(g -> ((JsonObject) g).getString("type")))
        .containsExactly("disk-full", "Deploy failed");
    assertThat(json.getJsonArray("errors").getJsonObject(0).getLong("count")).isEqualTo(3);
  }

  private static LogEntry event(long t, String title, String key) {
    String[] attributes =
        key == null
            ? new String[] {"event.title", title}
            : new String[] {"event.title", title, "event.aggregation_key", key};
    return new LogEntry(T0 + t, 17, "error", "cart", title, attributes, 0, 0, 0, 0, new String[0]);
  }

  private static LogQuery query(
      String text, Pattern regex, int severity, String service, long trace) {
    return new LogQuery(text, regex, severity, service, 0, trace, 0, Long.MAX_VALUE, 10);
  }

  private static List<String> bodies(LogStore store, LogQuery q) {
    return store.search(q, RegexBudget.DEFAULT_LIMIT).entries().stream()
        .map(LogEntry::body)
        .toList();
  }

  static LogEntry entry(
      long t, int severity, String service, String body, String type, long trace) {
    return new LogEntry(
        T0 + t,
        severity,
        "",
        service,
        body,
        type == null ? new String[0] : new String[] {LogEntry.EXCEPTION_TYPE, type},
        0,
        0,
        trace,
        0,
        new String[] {"service.name", service});
  }
}
