package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.tally.protocol.otlp.OtlpSignal;
import dev.tally.testing.Exposition;
import dev.tally.testing.OtelSdk;
import dev.tally.testing.OtelTelemetry;
import dev.tally.testing.OtlpClient;
import dev.tally.testing.OtlpRequests;
import dev.tally.testing.TestGateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OTLP traces and logs (CONTRACT §9): the OpenTelemetry Java SDK's span and log record exporters
 * over gRPC and http/protobuf feed the stores; the query API returns what was sent; the RED metrics
 * on {@code /metrics} match the spans; bounds evict oldest first and count it; bad spans and
 * records get {@code partial_success} and the good ones beside them are kept.
 */
@ExtendWith(VertxExtension.class)
class TracesLogsIT {
  static final long MS = 1_000_000L;
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");

  private TestGateway tally;

  @AfterEach
  void stop() throws Exception {
    if (tally != null) {
      tally.close();
    }
  }

  @ParameterizedTest
  @EnumSource(OtelSdk.Transport.class)
  void sdkSpansReachTheTraceStoreAndTheirRedMetrics(OtelSdk.Transport transport, Vertx vertx)
      throws Exception {
    tally = TestGateway.start(vertx, "--traces-sample-ratio", "1");
    long base = System.currentTimeMillis() * MS;
    String traceId;
    String rootId;
    try (OtelTelemetry otel = new OtelTelemetry(tally.gateway(), transport)) {
      Tracer tracer = otel.tracer("shop");
      Span root =
          tracer
              .spanBuilder("GET /cart")
              .setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(base, TimeUnit.NANOSECONDS)
              .setAttribute("http.route", "/cart")
              .setAttribute("http.response.status_code", 200L)
              .setAttribute("retry.ratio", 0.5)
              .setAttribute("cache.hit", true)
              .setAttribute("user.id", "42")
              .startSpan();
      Span child =
          tracer
              .spanBuilder("SELECT cart")
              .setParent(Context.current().with(root))
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(base + 10 * MS, TimeUnit.NANOSECONDS)
              .startSpan();
      child.addEvent(
          "exception",
          Attributes.of(EXCEPTION_TYPE, "java.sql.SQLException"),
          base + 20 * MS,
          TimeUnit.NANOSECONDS);
      child.setStatus(StatusCode.ERROR, "deadlock");
      child.end(base + 30 * MS, TimeUnit.NANOSECONDS);
      root.end(base + 50 * MS, TimeUnit.NANOSECONDS);
      for (int i = 1; i <= 10; i++) {
        tracer
            .spanBuilder("GET /items")
            .setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(base, TimeUnit.NANOSECONDS)
            .startSpan()
            .end(base + i * MS, TimeUnit.NANOSECONDS);
      }
      otel.flush();
      traceId = root.getSpanContext().getTraceId();
      rootId = root.getSpanContext().getSpanId();
    }

    JsonArray errors =
        tally
            .getUntil("/api/traces?service=checkout&status=error", r -> !traces(r).isEmpty())
            .await(20, TimeUnit.SECONDS)
            .json()
            .getJsonArray("traces");
    assertThat(errors.size()).isEqualTo(1);
    assertThat(errors.getJsonObject(0).getMap())
        .containsEntry("trace_id", traceId)
        .containsEntry("service", "checkout")
        .containsEntry("name", "GET /cart")
        .containsEntry("duration_ms", 50.0)
        .containsEntry("span_count", 2)
        .containsEntry("error", true);
    assertThat(errors.getJsonObject(0).getDouble("start")).isCloseTo(base / 1e6, within(0.001));

    JsonObject detail = tally.get("/api/traces/" + traceId).await(20, TimeUnit.SECONDS).json();
    JsonArray spans = detail.getJsonArray("spans");
    assertThat(spans.size()).isEqualTo(2);
    JsonObject r = spans.getJsonObject(0);
    JsonObject c = spans.getJsonObject(1);
    assertThat(r.getString("span_id")).isEqualTo(rootId);
    assertThat(r.getString("parent_span_id")).isEmpty();
    assertThat(r.getString("kind")).isEqualTo("server");
    JsonObject attributes = r.getJsonObject("attributes");
    assertThat(attributes.getString("http.route")).isEqualTo("/cart");
    // numbers and booleans stay what the SDK sent; a string of digits stays a string
    assertThat(attributes.getValue("http.response.status_code")).isInstanceOf(Number.class);
    assertThat(attributes.getLong("http.response.status_code")).isEqualTo(200L);
    assertThat(attributes.getValue("retry.ratio")).isEqualTo(0.5);
    assertThat(attributes.getValue("cache.hit")).isEqualTo(true);
    assertThat(attributes.getValue("user.id")).isEqualTo("42");
    assertThat(r.getJsonObject("resource").getString("service.namespace")).isEqualTo("shop");
    assertThat(c.getString("name")).isEqualTo("SELECT cart");
    assertThat(c.getString("parent_span_id")).isEqualTo(rootId);
    assertThat(c.getString("kind")).isEqualTo("client");
    assertThat(c.getString("status")).isEqualTo("error");
    assertThat(c.getString("status_message")).isEqualTo("deadlock");
    assertThat(c.getDouble("duration_ms")).isEqualTo(20.0);
    JsonObject event = c.getJsonArray("events").getJsonObject(0);
    assertThat(event.getString("name")).isEqualTo("exception");
    assertThat(event.getJsonObject("attributes").getString("exception.type"))
        .isEqualTo("java.sql.SQLException");

    JsonArray slow =
        tally
            .get("/api/traces?min_duration_ms=40")
            .await(20, TimeUnit.SECONDS)
            .json()
            .getJsonArray("traces");
    assertThat(slow.size()).isEqualTo(1);
    assertThat(
            tally
                .get("/api/traces?status=ok&limit=100")
                .await(20, TimeUnit.SECONDS)
                .json()
                .getJsonArray("traces")
                .size())
        .isEqualTo(10);
    assertThat(
            tally
                .get("/api/traces/0123456789abcdef0123456789abcdef")
                .await(20, TimeUnit.SECONDS)
                .status)
        .isEqualTo(404);

    String items =
        "{service_name=\"checkout\",span_kind=\"SPAN_KIND_SERVER\",span_name=\"GET /items\",status_code=\"STATUS_CODE_UNSET\"}";
    String select =
        "{service_name=\"checkout\",span_kind=\"SPAN_KIND_CLIENT\",span_name=\"SELECT cart\",status_code=\"STATUS_CODE_ERROR\"}";
    Exposition e =
        tally
            .scrapeUntil(
                x ->
                    x.has("traces_span_metrics_calls_total" + items)
                        && x.has("traces_span_metrics_calls_total" + select)
                        && x.has("traces_span_metrics_duration_seconds_bucket" + le(items, "+Inf")))
            .await(20, TimeUnit.SECONDS);
    assertThat(e.value("traces_span_metrics_calls_total" + items)).isEqualTo(10);
    assertThat(e.value("traces_span_metrics_duration_seconds_count" + items)).isEqualTo(10);
    assertThat(e.value("traces_span_metrics_duration_seconds_sum" + items))
        .isCloseTo(0.055, within(1e-9));
    // a histogram with the spanmetrics connector's bounds (2, 4, 6, 8, 10, 50 ms...), as its
    // dashboards expect: the spans took 1 to 10 ms
    assertThat(e.typeOf("traces_span_metrics_duration_seconds")).isEqualTo("histogram");
    String[] bounds = {"0.002", "0.004", "0.006", "0.008", "0.01"};
    for (int b = 0; b < bounds.length; b++) {
      assertThat(e.value("traces_span_metrics_duration_seconds_bucket" + le(items, bounds[b])))
          .as("le %s", bounds[b])
          .isEqualTo(2 * (b + 1));
    }
    assertThat(e.value("traces_span_metrics_duration_seconds_bucket" + le(items, "0.001")))
        .isNaN(); // not one of the bounds
    assertThat(e.value("traces_span_metrics_duration_seconds_bucket" + le(items, "15")))
        .isEqualTo(10);
    assertThat(e.value("traces_span_metrics_calls_total" + select)).isEqualTo(1);
    assertThat(e.value("traces_span_metrics_duration_seconds_sum" + select))
        .isCloseTo(0.020, within(1e-9));
    String t = transport == OtelSdk.Transport.GRPC ? "grpc" : "http";
    assertThat(e.value("tally_otlp_spans_accepted_total{transport=\"" + t + "\"}")).isEqualTo(12);
    // the RED series are live-feed series like any other
    JsonObject live =
        tally
            .getUntil(
                "/api/series?match=traces_span_metrics_calls*",
                answer -> answer.json().getInteger("total") == 3)
            .await(20, TimeUnit.SECONDS)
            .json();
    assertThat(live.getJsonArray("series").getJsonObject(0).getString("kind")).isEqualTo("counter");
  }

  @ParameterizedTest
  @EnumSource(OtelSdk.Transport.class)
  void sdkLogRecordsAreSearchable(OtelSdk.Transport transport, Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
    String traceId;
    try (OtelTelemetry otel = new OtelTelemetry(tally.gateway(), transport)) {
      Logger log = otel.logger("shop");
      Span span = otel.tracer("shop").spanBuilder("pay").startSpan();
      try (Scope s = span.makeCurrent()) {
        log.logRecordBuilder()
            .setSeverity(Severity.ERROR)
            .setSeverityText("ERROR")
            .setBody("payment failed for order 42")
            .setAttribute(EXCEPTION_TYPE, "java.io.IOException")
            .emit();
      }
      span.end();
      traceId = span.getSpanContext().getTraceId();
      log.logRecordBuilder().setSeverity(Severity.INFO).setBody("user ann logged in").emit();
      log.logRecordBuilder().setSeverity(Severity.WARN).setBody("disk almost full").emit();
      otel.flush();
    }
    tally
        .getUntil("/api/logs?service=checkout", r -> r.json().getJsonArray("logs").size() == 3)
        .await(20, TimeUnit.SECONDS);
    JsonObject payment = only(logs("/api/logs?q=PAYMENT"));
    assertThat(payment.getString("severity")).isEqualTo("ERROR");
    assertThat(payment.getString("service")).isEqualTo("checkout");
    assertThat(payment.getString("trace_id")).isEqualTo(traceId);
    assertThat(payment.getJsonObject("attributes").getString("exception.type"))
        .isEqualTo("java.io.IOException");
    assertThat(only(logs("/api/logs?regex=" + encode("order \\d+"))).getString("body"))
        .isEqualTo("payment failed for order 42");
    assertThat(bodies(logs("/api/logs?severity=warn")))
        .containsExactlyInAnyOrder("payment failed for order 42", "disk almost full");
    assertThat(bodies(logs("/api/logs?trace_id=" + traceId)))
        .containsExactly("payment failed for order 42");
    assertThat(logs("/api/logs?service=other").size()).isZero();
    // the API's own times (epoch ms with a microsecond fraction) and far-off ones are bounds
    double oldest = Double.MAX_VALUE;
    double newest = 0;
    for (Object l : logs("/api/logs?service=checkout")) {
      oldest = Math.min(oldest, ((JsonObject) l).getDouble("ts"));
      newest = Math.max(newest, ((JsonObject) l).getDouble("ts"));
    }
    assertThat(logs("/api/logs?since=" + oldest + "&until=3000-01-01T00:00:00Z")).hasSize(3);
    assertThat(logs("/api/logs?since=" + (newest + 0.001))).isEmpty();
    assertThat(logs("/api/logs?until=99999999999999").size()).isEqualTo(3);
    JsonObject summary = tally.get("/api/logs/errors").await(20, TimeUnit.SECONDS).json();
    assertThat(summary.getJsonArray("errors").getJsonObject(0).getMap())
        .containsEntry("type", "java.io.IOException")
        .containsEntry("count", 1);
    JsonObject bad =
        tally
            .get("/api/logs?regex=" + encode("(") + "&severity=loud&limit=0")
            .await(20, TimeUnit.SECONDS)
            .json();
    assertThat(bad.getJsonArray("errors").stream().map(x -> ((JsonObject) x).getString("field")))
        .containsExactlyInAnyOrder("regex", "severity", "limit");
    String t = transport == OtelSdk.Transport.GRPC ? "grpc" : "http";
    assertThat(
            tally
                .scrape()
                .await(20, TimeUnit.SECONDS)
                .value("tally_otlp_log_records_accepted_total{transport=\"" + t + "\"}"))
        .isEqualTo(3);
  }

  @Test
  void otlpJsonWithHexIdsIsAcceptedGzippedOverHttp(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx, "--traces-sample-ratio", "1");
    String trace = "5b8efff798038103d269b633813fc60c";
    long start = System.currentTimeMillis() * MS;
    String spans =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"json-svc\"}}]},\"scopeSpans\":[{\"spans\":[{"
            + "\"traceId\":\""
            + trace
            + "\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /json\",\"kind\":2,"
            + "\"startTimeUnixNano\":\""
            + start
            + "\",\"endTimeUnixNano\":\""
            + (start + 3 * MS)
            + "\"}]}]}]}";
    String logs =
        "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
            + "\"value\":{\"stringValue\":\"json-svc\"}}]},\"scopeLogs\":[{\"logRecords\":[{"
            + "\"timeUnixNano\":\""
            + start
            + "\",\"severityText\":\"WARN\",\"body\":{\"stringValue\":\"slow json\"},"
            + "\"traceId\":\""
            + trace
            + "\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}";
    try (OtlpClient client = new OtlpClient(tally.gateway())) {
      for (Object[] r : new Object[][] {{OtlpSignal.TRACES, spans}, {OtlpSignal.LOGS, logs}}) {
        OtlpClient.HttpResult result =
            client.http(
                (OtlpSignal) r[0],
                OtlpRequests.gzip(((String) r[1]).getBytes(StandardCharsets.UTF_8)),
                "application/json",
                "gzip");
        assertThat(result.status).isEqualTo(200);
        assertThat(new String(result.body, StandardCharsets.UTF_8)).isEqualTo("{}");
      }
    }
    JsonObject detail =
        tally
            .getUntil("/api/traces/" + trace, r -> r.status == 200)
            .await(20, TimeUnit.SECONDS)
            .json();
    assertThat(detail.getJsonArray("spans").getJsonObject(0).getString("span_id"))
        .isEqualTo("eee19b7ec3c1b174");
    JsonObject log =
        only(
            tally
                .getUntil(
                    "/api/logs?trace_id=" + trace, r -> r.json().getJsonArray("logs").size() == 1)
                .await(20, TimeUnit.SECONDS)
                .json()
                .getJsonArray("logs"));
    assertThat(log.getString("body")).isEqualTo("slow json");
    assertThat(log.getInteger("severity_number")).isEqualTo(13);
  }

  @Test
  void aTraceRequestLargerThanTheWholeByteBoundIsTakenWhenNothingElseWaits(Vertx vertx)
      throws Exception {
    tally = TestGateway.start(vertx, "--traces-sample-ratio", "1", "--shard-queue-bytes", "1MiB");
    long base = System.currentTimeMillis() * MS;
    io.opentelemetry.proto.trace.v1.Span[] spans = new io.opentelemetry.proto.trace.v1.Span[6000];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = span(100 + i, "bulk", base, base + MS, false);
    }
    java.util.List<dev.tally.protocol.model.TraceSpan> mapped = new java.util.ArrayList<>();
    dev.tally.protocol.otlp.TracesRequestMapper.map(
        traces(spans), mapped::add, new dev.tally.protocol.otlp.Rejections());
    assertThat(new dev.tally.protocol.model.SpanBatch(mapped).bytes())
        .as("the spans alone are over the 1 MiB bound")
        .isGreaterThan(1L << 20);
    try (OtlpClient client = new OtlpClient(tally.gateway())) {
      OtlpClient.HttpResult r =
          client.http(
              OtlpSignal.TRACES, traces(spans).toByteArray(), "application/x-protobuf", null);
      assertThat(r.status).isEqualTo(200);
    }
    tally.scrapeUntil(x -> x.value("tally_trace_store_spans") == 6000).await(20, TimeUnit.SECONDS);
  }

  @Test
  void statsdEventsLandInTheLogStore(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx);
    tally.send("deploys:1|c\n_e{11,9}:Deploy done|version 7|t:warning|#service:cart,env:prod");
    JsonObject event =
        only(
            tally
                .getUntil("/api/logs?service=cart", r -> r.json().getJsonArray("logs").size() == 1)
                .await(20, TimeUnit.SECONDS)
                .json()
                .getJsonArray("logs"));
    assertThat(event.getString("body")).isEqualTo("Deploy done\nversion 7");
    assertThat(event.getString("severity")).isEqualTo("WARN"); // one spelling for every source
    assertThat(event.getString("severity_text")).isEqualTo("warning"); // as sent
    assertThat(event.getJsonObject("attributes").getString("env")).isEqualTo("prod");
    assertThat(bodies(logs("/api/logs?severity=warn&q=deploy"))).hasSize(1);
  }

  @Test
  void errorAndSlowTracesAreKeptAndTheRestSampledOut(Vertx vertx) throws Exception {
    tally =
        TestGateway.start(
            vertx,
            "--traces-sample-ratio",
            "0",
            "--traces-slow",
            "100ms",
            "--traces-decision-wait",
            "200ms");
    long base = System.currentTimeMillis() * MS;
    try (OtlpClient client = new OtlpClient(tally.gateway())) {
      byte[] body =
          traces(
                  span(1, "fast", base, base + MS, false),
                  span(2, "slow", base, base + 150 * MS, false),
                  span(3, "failing", base, base + MS, true))
              .toByteArray();
      assertThat(client.http(OtlpSignal.TRACES, body, "application/x-protobuf", null).status)
          .isEqualTo(200);
    }
    Exposition e =
        tally
            .scrapeUntil(x -> x.value("tally_trace_store_sampled_out_traces_total") == 1)
            .await(20, TimeUnit.SECONDS);
    assertThat(e.value("tally_trace_store_kept_traces_total{reason=\"error\"}")).isEqualTo(1);
    assertThat(e.value("tally_trace_store_kept_traces_total{reason=\"slow\"}")).isEqualTo(1);
    assertThat(e.value("tally_trace_store_sampled_out_spans_total")).isEqualTo(1);
    assertThat(names(tally.get("/api/traces").await(20, TimeUnit.SECONDS).json()))
        .containsExactlyInAnyOrder("slow", "failing");
  }

  @Test
  void boundsEvictTheOldestFirstAndCountIt(Vertx vertx) throws Exception {
    tally =
        TestGateway.start(
            vertx,
            "--traces-sample-ratio",
            "1",
            "--traces-max-spans",
            "2",
            "--logs-max-records",
            "3");
    long base = System.currentTimeMillis() * MS;
    try (OtlpClient client = new OtlpClient(tally.gateway())) {
      for (int i = 1; i <= 4; i++) { // one request each, in order
        byte[] t = traces(span(i, "t" + i, base + i * MS, base + i * MS + 1, false)).toByteArray();
        assertThat(client.grpc(OtlpSignal.TRACES, t, "identity").status).isEqualTo(GrpcStatus.OK);
        byte[] l = logs(record("line " + i, 9)).toByteArray();
        assertThat(client.grpc(OtlpSignal.LOGS, l, "identity").status).isEqualTo(GrpcStatus.OK);
      }
      byte[] l = logs(record("line 5", 9)).toByteArray();
      assertThat(client.grpc(OtlpSignal.LOGS, l, "identity").status).isEqualTo(GrpcStatus.OK);
    }
    Exposition e =
        tally
            .scrapeUntil(
                x ->
                    x.value("tally_trace_store_evicted_traces_total") == 2
                        && x.value("tally_log_store_evicted_records_total") == 2)
            .await(20, TimeUnit.SECONDS);
    assertThat(e.value("tally_trace_store_evicted_spans_total")).isEqualTo(2);
    assertThat(e.value("tally_trace_store_spans")).isEqualTo(2);
    assertThat(e.value("tally_log_store_records")).isEqualTo(3);
    assertThat(names(tally.get("/api/traces").await(20, TimeUnit.SECONDS).json()))
        .containsExactly("t4", "t3");
    assertThat(bodies(logs("/api/logs"))).containsExactly("line 5", "line 4", "line 3");
  }

  @Test
  void badSpansAndRecordsGetPartialSuccessAndTheGoodOnesAreKept(Vertx vertx) throws Exception {
    tally = TestGateway.start(vertx, "--traces-sample-ratio", "1");
    long base = System.currentTimeMillis() * MS;
    try (OtlpClient client = new OtlpClient(tally.gateway())) {
      io.opentelemetry.proto.trace.v1.Span bad =
          span(9, "bad", base, base + MS, false).toBuilder()
              .setTraceId(ByteString.copyFrom(new byte[8]))
              .build();
      OtlpClient.HttpResult http =
          client.http(
              OtlpSignal.TRACES,
              traces(span(8, "good", base, base + MS, false), bad).toByteArray(),
              "application/x-protobuf",
              null);
      assertThat(http.status).isEqualTo(200);
      ExportTraceServiceResponse traced = ExportTraceServiceResponse.parseFrom(http.body);
      assertThat(traced.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
      assertThat(traced.getPartialSuccess().getErrorMessage())
          .isEqualTo("span 'bad': trace id must be 16 bytes, was 8");

      OtlpClient.GrpcResult grpc =
          client.grpc(
              OtlpSignal.LOGS,
              logs(record("kept", 9), record("bad severity", 99)).toByteArray(),
              "gzip");
      assertThat(grpc.status).isEqualTo(GrpcStatus.OK);
      ExportLogsServiceResponse logged = ExportLogsServiceResponse.parseFrom(grpc.body.getBytes());
      assertThat(logged.getPartialSuccess().getRejectedLogRecords()).isEqualTo(1);
      assertThat(logged.getPartialSuccess().getErrorMessage())
          .isEqualTo("log record: severity number must be 0 to 24, was 99");

      OtlpClient.HttpResult undecodable =
          client.http(OtlpSignal.LOGS, new byte[] {1, 2, 3}, "application/x-protobuf", null);
      assertThat(undecodable.status).isEqualTo(400);
      assertThat(client.http(OtlpSignal.TRACES, new byte[0], "text/plain", null).status)
          .isEqualTo(415);
    }
    assertThat(
            names(
                tally
                    .getUntil("/api/traces", r -> !traces(r).isEmpty())
                    .await(20, TimeUnit.SECONDS)
                    .json()))
        .containsExactly("good");
    assertThat(bodies(logs("/api/logs"))).containsExactly("kept");
    Exposition e = tally.scrape().await(20, TimeUnit.SECONDS);
    assertThat(
            e.value(
                "tally_otlp_spans_rejected_total{transport=\"http\",reason=\"invalid_trace_id\"}"))
        .isEqualTo(1);
    assertThat(
            e.value(
                "tally_otlp_log_records_rejected_total{transport=\"grpc\",reason=\"bad_severity\"}"))
        .isEqualTo(1);
    assertThat(e.value("tally_otlp_spans_accepted_total{transport=\"http\"}")).isEqualTo(1);
    assertThat(e.value("tally_otlp_log_records_accepted_total{transport=\"grpc\"}")).isEqualTo(1);
  }

  private JsonArray logs(String path) throws Exception {
    return tally.get(path).await(20, TimeUnit.SECONDS).json().getJsonArray("logs");
  }

  private static JsonObject only(JsonArray a) {
    assertThat(a.size()).as("%s", a).isEqualTo(1);
    return a.getJsonObject(0);
  }

  private static List<String> bodies(JsonArray logs) {
    return logs.stream().map(x -> ((JsonObject) x).getString("body")).toList();
  }

  private static List<String> names(JsonObject traces) {
    return traces.getJsonArray("traces").stream()
        .map(x -> ((JsonObject) x).getString("name"))
        .toList();
  }

  private static JsonArray traces(TestGateway.Response r) {
    return r.status == 200 ? r.json().getJsonArray("traces") : new JsonArray();
  }

  /** The labels of a histogram's bucket line: {@code labels} and the bound, last. */
  private static String le(String labels, String bound) {
    return labels.substring(0, labels.length() - 1) + ",le=\"" + bound + "\"}";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static ExportTraceServiceRequest traces(io.opentelemetry.proto.trace.v1.Span... spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(service()))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))))
        .build();
  }

  static ExportLogsServiceRequest logs(LogRecord... records) {
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(
            ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(service()))
                .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
        .build();
  }

  static io.opentelemetry.proto.trace.v1.Span span(
      long trace, String name, long start, long end, boolean error) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(7).putLong(trace).array()))
        .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(trace).array()))
        .setName(name)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .setStatus(
            Status.newBuilder()
                .setCode(
                    error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_OK))
        .build();
  }

  static LogRecord record(String body, int severity) {
    return LogRecord.newBuilder()
        .setTimeUnixNano(System.currentTimeMillis() * MS)
        .setSeverityNumberValue(severity)
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .build();
  }

  private static KeyValue service() {
    return KeyValue.newBuilder()
        .setKey("service.name")
        .setValue(AnyValue.newBuilder().setStringValue("checkout"))
        .build();
  }
}
