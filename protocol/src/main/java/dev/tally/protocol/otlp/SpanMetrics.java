package dev.tally.protocol.otlp;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.model.TraceKeeping;
import dev.tally.protocol.model.TraceSpan;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * RED metrics from spans, named and labelled as the OpenTelemetry Collector's spanmetrics connector
 * does: a counter {@code traces_span_metrics_calls_total} and a histogram {@code
 * traces_span_metrics_duration_seconds}, both by {@code service_name}, {@code span_name}, {@code
 * span_kind} ({@code SPAN_KIND_SERVER}...) and {@code status_code} ({@code STATUS_CODE_ERROR}...).
 *
 * <p>The spans of one request are grouped first, so that each group sends one counter point and one
 * {@link TimerPoint} to the shards. Confined to one thread.
 *
 * <p>Spans whose trace the trace store keeps ({@link TraceKeeping}: errors, slow, sampled) become
 * exemplars of the duration histogram, at most {@link #EXEMPLARS_PER_GROUP} per group and request
 * (the first ones, and the longest), so that a point on a latency chart opens a trace that is
 * there.
 */
public final class SpanMetrics {
  public static final String CALLS = "traces_span_metrics_calls";
  public static final String DURATION = "traces_span_metrics_duration";
  static final String CALLS_HELP = "Spans received, by service, span name, kind and status";
  static final String DURATION_HELP = "Span durations, by service, span name, kind and status";

  /** Exemplars one group takes from one request at most. */
  static final int EXEMPLARS_PER_GROUP = 8;

  private final Map<Group, Group> groups = new HashMap<>();
  private final TraceKeeping keeping;

  /** RED metrics without exemplars. */
  public SpanMetrics() {
    this(null);
  }

  /**
   * @param keeping which traces the store keeps: their spans become exemplars; null for none
   */
  public SpanMetrics(TraceKeeping keeping) {
    this.keeping = keeping;
  }

  /** Counts {@code span} in its group. */
  public void add(TraceSpan span) {
    Group probe = new Group(span.service(), span.name(), span.kind(), span.status());
    Group group = groups.putIfAbsent(probe, probe);
    Group g = group == null ? probe : group;
    g.add(span.durationNanos() / 1e6);
    if (keeping != null && keeping.keeps(span)) {
      g.exemplar(span);
    }
  }

  /** Sends two points per group to {@code sink} and forgets the groups. */
  public void drainTo(Consumer<OtlpPoint> sink) {
    for (Group g : groups.values()) {
      List<String> labels =
          List.of(
              "service_name",
              g.service,
              "span_name",
              g.name,
              "span_kind",
              kindName(g.kind),
              "status_code",
              statusName(g.status));
      sink.accept(
          new NumberPoint(
              SeriesKey.of(MetricKind.COUNTER, CALLS, labels), CALLS_HELP, 0, 0, g.count, true));
      sink.accept(
          new TimerPoint(
                  SeriesKey.of(MetricKind.TIMER, DURATION, labels),
                  DURATION_HELP,
                  Arrays.copyOf(g.millis, g.count))
              .withExemplars(g.exemplars()));
    }
    groups.clear();
  }

  /** The Collector's name of a span kind number: {@code SPAN_KIND_SERVER}. */
  static String kindName(int kind) {
    Span.SpanKind k = Span.SpanKind.forNumber(kind);
    return k == null || k == Span.SpanKind.UNRECOGNIZED ? "SPAN_KIND_UNSPECIFIED" : k.name();
  }

  /** The Collector's name of a status code number: {@code STATUS_CODE_ERROR}. */
  static String statusName(int status) {
    Status.StatusCode c = Status.StatusCode.forNumber(status);
    return c == null || c == Status.StatusCode.UNRECOGNIZED ? "STATUS_CODE_UNSET" : c.name();
  }

  private static final Exemplar[] NO_EXEMPLARS = new Exemplar[0];

  private static final class Group {
    final String service;
    final String name;
    final int kind;
    final int status;
    double[] millis; // made by the first add: a probe that finds its group needs none
    int count;
    Exemplar[] exemplars; // null until the first
    int exemplarCount;

    Group(String service, String name, int kind, int status) {
      this.service = service;
      this.name = name;
      this.kind = kind;
      this.status = status;
    }

    void add(double ms) {
      if (millis == null) {
        millis = new double[8];
      } else if (count == millis.length) {
        millis = Arrays.copyOf(millis, count * 2);
      }
      millis[count++] = ms;
    }

    /**
     * Takes {@code span} as an exemplar: one of the first {@link #EXEMPLARS_PER_GROUP}, or, once
     * they are taken, in the last place if it is longer than the one there.
     */
    void exemplar(TraceSpan span) {
      if (exemplars == null) {
        exemplars = new Exemplar[EXEMPLARS_PER_GROUP];
      }
      int slot = exemplarCount;
      if (slot == EXEMPLARS_PER_GROUP) {
        slot = EXEMPLARS_PER_GROUP - 1; // the last place holds the longest since
        if (exemplars[slot].value() * 1e9 >= span.durationNanos()) {
          return;
        }
      } else {
        exemplarCount++;
      }
      exemplars[slot] =
          new Exemplar(
              span.traceIdHigh(),
              span.traceIdLow(),
              span.spanId(),
              span.durationNanos() / 1e9,
              span.endNanos() / 1_000_000,
              true);
    }

    Exemplar[] exemplars() {
      return exemplars == null ? NO_EXEMPLARS : Arrays.copyOf(exemplars, exemplarCount);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Group)) {
        return false;
      }
      Group g = (Group) o;
      return kind == g.kind
          && status == g.status
          && name.equals(g.name)
          && service.equals(g.service);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * (31 * service.hashCode() + name.hashCode()) + kind) + status;
    }
  }
}
