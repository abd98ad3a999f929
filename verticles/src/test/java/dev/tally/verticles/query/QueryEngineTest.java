package dev.tally.verticles.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.protocol.promql.Labels;
import dev.tally.protocol.promql.Parser;
import dev.tally.verticles.history.HistoryOptions;
import dev.tally.verticles.history.HistoryStore;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's own behaviour around Prometheus' semantics (which PromQlDifferentialIT checks
 * against a real Prometheus): result shapes, bounds, and the errors past them.
 */
class QueryEngineTest {
  private static final long STEP = 10_000;

  @TempDir Path dir;
  private HistoryStore store;

  @BeforeEach
  void fill() throws IOException {
    store =
        HistoryStore.open(
            new HistoryOptions(
                dir, STEP, 86_400_000L, Long.MAX_VALUE, HistoryOptions.BLOCK_MILLIS));
    int a = store.seriesId(Labels.of(Labels.NAME, "x_total", "route", "/a"));
    int b = store.seriesId(Labels.of(Labels.NAME, "x_total", "route", "/b"));
    int y = store.seriesId(Labels.of(Labels.NAME, "y_total", "route", "/a"));
    for (int i = 1; i <= 60; i++) {
      store.append(i * STEP, new int[] {a, b, y}, new double[] {i, 2 * i, 3 * i}, 3);
    }
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private QueryEngine engine(long maxPoints, long timeoutMillis) {
    return new QueryEngine(
        store, new QueryLimits(1_000_000, maxPoints, timeoutMillis, QueryLimits.LOOKBACK_MILLIS));
  }

  @Test
  void rateOfASteadyCounterAndItsSum() throws Exception {
    QueryResult r =
        engine(1_000_000, 60_000)
            .instant(Parser.parse("sum(rate(x_total[1m]))"), 30 * STEP + 5000, 0);
    QueryResult.Vector v = (QueryResult.Vector) r;
    assertThat(v.series()).hasSize(1);
    // 1 + 2 per 10 s: 0.3 per second, exactly, with the window's extrapolation
    assertThat(v.series().get(0).values()[0])
        .isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(v.series().get(0).labels()).isEqualTo(Labels.EMPTY);
  }

  @Test
  void anInstantRangeSelectorGivesTheRawSamples() throws Exception {
    QueryResult.Matrix m =
        (QueryResult.Matrix)
            engine(1_000_000, 60_000)
                .instant(Parser.parse("x_total{route=\"/a\"}[30s]"), 30 * STEP, 0);
    assertThat(m.series()).hasSize(1);
    assertThat(m.series().get(0).times()).containsExactly(28 * STEP, 29 * STEP, 30 * STEP);
    assertThat(m.series().get(0).labels().metricName()).isEqualTo("x_total");
  }

  @Test
  void aRangeQueryGivesEveryStepAndRefusesARangeVector() throws Exception {
    QueryResult.Matrix m =
        engine(1_000_000, 60_000).range(Parser.parse("x_total"), 10 * STEP, 20 * STEP, STEP, 0);
    assertThat(m.series()).hasSize(2);
    assertThat(m.series().get(0).times()).hasSize(11);
    assertThatThrownBy(
            () ->
                engine(1_000_000, 60_000)
                    .range(Parser.parse("x_total[1m]"), 10 * STEP, 20 * STEP, STEP, 0))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BAD_DATA));
  }

  @Test
  void pastItsBoundsAQueryEndsWithPrometheusErrors() throws Exception {
    // two series of 31 steps hold 62 values: more than 40
    assertThatThrownBy(
            () -> engine(40, 60_000).range(Parser.parse("x_total"), 0, 30 * STEP, STEP, 0))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(QueryException.Kind.EXECUTION);
              assertThat(e.getMessage()).contains("too many samples");
            });
    // a deadline already past
    assertThatThrownBy(() -> engine(1_000_000, -1).instant(Parser.parse("x_total"), 30 * STEP, 0))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.TIMEOUT));
  }

  @Test
  void manyToManyMatchingIsAnExecutionError() throws Exception {
    assertThatThrownBy(
            () ->
                engine(1_000_000, 60_000)
                    .instant(Parser.parse("x_total + on() x_total"), 30 * STEP, 0))
        .isInstanceOfSatisfying(
            QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.EXECUTION));
  }

  @Test
  void absentLabelsAsPrometheusMakesThem() throws Exception {
    QueryResult.Vector v =
        (QueryResult.Vector)
            engine(1_000_000, 60_000)
                .instant(
                    Parser.parse("absent(nope{a!=\"1\", a=\"2\", b=\"x\", b=\"y\"})"),
                    30 * STEP,
                    0);
    // an equality sets a label the first time; a label matched again goes
    assertThat(v.series().get(0).labels()).isEqualTo(Labels.of("a", "2"));
  }

  @Test
  void absentOverTimeOfSeriesThatShareTheirLabelsIsNoError() throws Exception {
    QueryResult.Matrix m =
        engine(1_000_000, 60_000)
            .range(
                Parser.parse("absent_over_time({__name__=~\"x_total|y_total\"}[1m])"),
                10 * STEP,
                20 * STEP,
                STEP,
                0);
    assertThat(m.series()).isEmpty(); // x_total has samples throughout
    // rate over two names with the same labels fails, as in Prometheus
    assertThatThrownBy(
            () ->
                engine(1_000_000, 60_000)
                    .range(
                        Parser.parse("rate({__name__=~\"x_total|y_total\"}[1m])"),
                        10 * STEP,
                        20 * STEP,
                        STEP,
                        0))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.getMessage()).contains("same labelset"));
  }
}
