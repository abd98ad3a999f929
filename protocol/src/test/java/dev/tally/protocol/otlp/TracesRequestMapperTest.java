package dev.tally.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.TraceIds;
import dev.tally.protocol.model.TraceKeeping;
import dev.tally.protocol.model.TraceSpan;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spans in, stored spans and rejections out; RED points from the stored spans. */
class TracesRequestMapperTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final long T0 = 1_700_000_000_000_000_000L;
  private final List<TraceSpan> spans = new ArrayList<>();
  private final Rejections rejections = new Rejections();

  @Test
  void aGoodSpanKeepsItsIdsTimesStatusAttributesAndEvents() {
    Span span =
        span("GET /cart", 1_000_000_000L, 1_250_000_000L)
            .setParentSpanId(bytes(8, 3))
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStatus(
                Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
            .addAttributes(kv("http.route", "/cart"))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(1_100_000_000L)
                    .addAttributes(kv("exception.type", "java.io.IOException")))
            .build();
    assertThat(map(span)).isEqualTo(1);
    TraceSpan s = spans.get(0);
    assertThat(TraceIds.hex(s.traceIdHigh(), s.traceIdLow())).isEqualTo(TRACE);
    assertThat(TraceIds.hex(s.spanId())).isEqualTo("0000000000000002");
    assertThat(TraceIds.hex(s.parentSpanId())).isEqualTo("0000000000000003");
    assertThat(s.service()).isEqualTo("cart");
    assertThat(s.resource()).containsExactly("service.name", "cart", "host.name", "h1");
    assertThat(s.durationNanos()).isEqualTo(250_000_000L);
    assertThat(s.kind()).isEqualTo(2);
    assertThat(s.error()).isTrue();
    assertThat(s.statusMessage()).isEqualTo("boom");
    assertThat(s.attributes()).containsExactly("http.route", "/cart");
    assertThat(s.events()).hasSize(1);
    assertThat(s.events()[0].name()).isEqualTo("exception");
    assertThat(s.events()[0].attributes()).containsExactly("exception.type", "java.io.IOException");
    assertThat(rejections.points()).isZero();
  }

  @Test
  void badSpansAreRejectedWithTheirReasonsAndTheGoodOnesBesideThemKept() {
    long accepted =
        map(
            span("ok", 1, 2).build(),
            span("short trace id", 1, 2).setTraceId(bytes(8, 1)).build(),
            span("zero trace id", 1, 2).setTraceId(ByteString.copyFrom(new byte[16])).build(),
            span("no span id", 1, 2).setSpanId(ByteString.EMPTY).build(),
            span("bad parent", 1, 2).setParentSpanId(bytes(4, 1)).build(),
            span("", 1, 2).build(),
            span("backwards", 5, 2).build(),
            span("no start", 0, 2).build(),
            span("also ok", 3, 3).build());
    assertThat(accepted).isEqualTo(2);
    assertThat(spans).extracting(TraceSpan::name).containsExactly("ok", "also ok");
    assertThat(rejections.points()).isEqualTo(7);
    assertThat(rejections.points(OtlpRejectReason.INVALID_TRACE_ID)).isEqualTo(2);
    assertThat(rejections.points(OtlpRejectReason.INVALID_SPAN_ID)).isEqualTo(2);
    assertThat(rejections.points(OtlpRejectReason.MISSING_NAME)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_TIMESTAMP)).isEqualTo(2);
    assertThat(rejections.message())
        .startsWith("span 'short trace id': trace id must be 16 bytes, was 8");
    ExportTraceServiceResponse response =
        (ExportTraceServiceResponse) OtlpResponses.export(OtlpSignal.TRACES, rejections);
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(7);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("and 4 more problem(s)");
  }

  @Test
  void redPointsCountAndTimeEachGroupOfTheRequest() {
    map(
        span("GET", T0, T0 + 2_000_000).setKind(Span.SpanKind.SPAN_KIND_SERVER).build(),
        span("GET", T0, T0 + 4_000_000).setKind(Span.SpanKind.SPAN_KIND_SERVER).build(),
        span("GET", T0, T0 + 1_000_000)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .build());
    SpanMetrics red = new SpanMetrics();
    spans.forEach(red::add);
    List<OtlpPoint> points = new ArrayList<>();
    red.drainTo(points::add);
    assertThat(points).hasSize(4);
    String ok =
        "{service_name=\"cart\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET\",status_code=\"STATUS_CODE_UNSET\"}";
    NumberPoint calls = (NumberPoint) find(points, "traces_span_metrics_calls" + ok);
    assertThat(calls.value()).isEqualTo(2);
    assertThat(calls.delta()).isTrue();
    TimerPoint durations = (TimerPoint) find(points, "traces_span_metrics_duration" + ok);
    assertThat(durations.millis()).containsExactlyInAnyOrder(2.0, 4.0);
    TimerPoint errors =
        (TimerPoint) find(points, "traces_span_metrics_duration" + ok.replace("UNSET", "ERROR"));
    assertThat(errors.millis()).containsExactly(1.0);
  }

  @Test
  void spansOfKeptTracesBecomeExemplarsOfTheirDurationsTheLongestKept() {
    // nothing sampled, slow from 1 s: only errors and slow spans are kept
    TraceKeeping keeping = new TraceKeeping(1_000_000_000L, 0);
    List<Span> list = new ArrayList<>();
    list.add(span("GET", T0, T0 + 2_000_000).build()); // neither: no exemplar
    list.add(span("GET", T0, T0 + 1_500_000_000L).build()); // slow
    for (int i = 1; i <= 12; i++) { // errors, the sixth the longest
      list.add(
          span("GET", T0, T0 + (i == 6 ? 900 : i) * 1_000_000L)
              .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
              .build());
    }
    map(list.toArray(new Span[0]));
    SpanMetrics red = new SpanMetrics(keeping);
    spans.forEach(red::add);
    List<OtlpPoint> points = new ArrayList<>();
    red.drainTo(points::add);
    String ok =
        "{service_name=\"cart\",span_kind=\"SPAN_KIND_UNSPECIFIED\",span_name=\"GET\",status_code=\"STATUS_CODE_UNSET\"}";
    Exemplar[] slow = find(points, "traces_span_metrics_duration" + ok).exemplars();
    assertThat(slow).hasSize(1);
    assertThat(slow[0].value()).isEqualTo(1.5); // seconds
    assertThat(slow[0].traceId()).isEqualTo(TRACE);
    assertThat(slow[0].spanIdHex()).isEqualTo("0000000000000002");
    assertThat(slow[0].epochMillis()).isEqualTo((T0 + 1_500_000_000L) / 1_000_000);
    assertThat(slow[0].kept()).isTrue();
    Exemplar[] errors =
        find(points, "traces_span_metrics_duration" + ok.replace("UNSET", "ERROR")).exemplars();
    assertThat(errors).hasSize(8); // the first seven, and the longest since
    assertThat(java.util.Arrays.stream(errors).mapToDouble(Exemplar::value).max().getAsDouble())
        .isEqualTo(0.9);
    // without a keeping rule, none
    SpanMetrics plain = new SpanMetrics();
    spans.forEach(plain::add);
    List<OtlpPoint> none = new ArrayList<>();
    plain.drainTo(none::add);
    assertThat(none).allMatch(p -> p.exemplars().length == 0);
  }

  @Test
  void otlpJsonIdsAreHexAndDecodeToTheSameSpan() throws Exception {
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"cart\"}}]},\"scopeSpans\":[{\"spans\":[{"
            + "\"traceId\":\""
            + TRACE.toUpperCase(java.util.Locale.ROOT)
            + "\",\"spanId\":\"0000000000000002\",\"parentSpanId\":\"\","
            + "\"name\":\"GET\",\"kind\":2,\"startTimeUnixNano\":\"1000\","
            + "\"endTimeUnixNano\":\"2000\"}]}]}]}";
    OtlpRequestDecoder.Decoded<ExportTraceServiceRequest> d =
        new OtlpRequestDecoder(1 << 20)
            .decode(
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                false,
                OtlpEncoding.JSON,
                ExportTraceServiceRequest.newBuilder());
    assertThat(d.error()).isNull();
    TracesRequestMapper.map(d.message(), spans::add, rejections);
    assertThat(rejections.points()).isZero();
    assertThat(TraceIds.hex(spans.get(0).traceIdHigh(), spans.get(0).traceIdLow()))
        .isEqualTo(TRACE);
    assertThat(spans.get(0).spanId()).isEqualTo(2);
    assertThat(spans.get(0).parentSpanId()).isZero();
  }

  private static OtlpPoint find(List<OtlpPoint> points, String key) {
    return points.stream()
        .filter(p -> p.key().toString().equals(key))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    key + " not in " + points.stream().map(p -> p.key().toString()).toList()));
  }

  private long map(Span... list) {
    return TracesRequestMapper.map(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(kv("service.name", "cart"))
                            .addAttributes(kv("host.name", "h1")))
                    .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(list))))
            .build(),
        spans::add,
        rejections);
  }

  static Span.Builder span(String name, long start, long end) {
    return Span.newBuilder()
        .setTraceId(traceId(TRACE))
        .setSpanId(bytes(8, 2))
        .setName(name)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end);
  }

  static ByteString traceId(String hex) {
    long[] id = TraceIds.parseTraceId(hex);
    return ByteString.copyFrom(
        java.nio.ByteBuffer.allocate(16).putLong(id[0]).putLong(id[1]).array());
  }

  static ByteString bytes(int n, int last) {
    byte[] b = new byte[n];
    b[n - 1] = (byte) last;
    return ByteString.copyFrom(b);
  }

  static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
