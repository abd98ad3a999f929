package dev.tally.protocol.otlp;

import static dev.tally.protocol.otlp.TracesRequestMapperTest.bytes;
import static dev.tally.protocol.otlp.TracesRequestMapperTest.kv;
import static dev.tally.protocol.otlp.TracesRequestMapperTest.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LogEntry;
import dev.tally.protocol.model.LogSeverity;
import dev.tally.protocol.model.TraceIds;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogsRequestMapperTest {
  static final long NOW = 1_700_000_000_000_000_000L;
  private final List<LogEntry> logs = new ArrayList<>();
  private final Rejections rejections = new Rejections();

  @Test
  void aRecordKeepsItsTimeSeverityBodyAttributesAndTrace() {
    map(
        LogRecord.newBuilder()
            .setTimeUnixNano(NOW - 5)
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_ERROR2)
            .setSeverityText("ERROR")
            .setBody(AnyValue.newBuilder().setStringValue("payment failed"))
            .addAttributes(kv("exception.type", "java.io.IOException"))
            .setTraceId(traceId(TracesRequestMapperTest.TRACE))
            .setSpanId(bytes(8, 7))
            .build());
    LogEntry e = logs.get(0);
    assertThat(e.timeNanos()).isEqualTo(NOW - 5);
    assertThat(e.severityNumber()).isEqualTo(18);
    assertThat(e.severity()).isEqualTo("ERROR");
    assertThat(e.service()).isEqualTo("cart");
    assertThat(e.body()).isEqualTo("payment failed");
    assertThat(e.attribute(LogEntry.EXCEPTION_TYPE)).isEqualTo("java.io.IOException");
    assertThat(TraceIds.hex(e.traceIdHigh(), e.traceIdLow()))
        .isEqualTo(TracesRequestMapperTest.TRACE);
    assertThat(TraceIds.hex(e.spanId())).isEqualTo("0000000000000007");
  }

  @Test
  void missingTimesAndNumbersAreFilledInAndStructuredBodiesBecomeJson() {
    map(
        LogRecord.newBuilder()
            .setObservedTimeUnixNano(NOW - 9)
            .setSeverityText("warning")
            .setBody(
                AnyValue.newBuilder()
                    .setKvlistValue(KeyValueList.newBuilder().addValues(kv("user", "ann"))))
            .build(),
        LogRecord.newBuilder().build());
    assertThat(logs.get(0).timeNanos()).isEqualTo(NOW - 9);
    assertThat(logs.get(0).severityNumber()).isEqualTo(LogSeverity.WARN.lowest());
    assertThat(logs.get(0).body()).isEqualTo("{\"user\":\"ann\"}");
    assertThat(logs.get(1).timeNanos()).isEqualTo(NOW);
    assertThat(logs.get(1).severityNumber()).isZero();
    assertThat(logs.get(1).severity()).isEmpty();
    assertThat(logs.get(1).hasTrace()).isFalse();
  }

  @Test
  void badRecordsAreRejectedAndTheGoodOnesBesideThemKept() {
    long accepted =
        map(
            LogRecord.newBuilder().setTraceId(bytes(5, 1)).build(),
            LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("kept")).build(),
            LogRecord.newBuilder().setSpanId(bytes(3, 1)).build(),
            LogRecord.newBuilder().setSeverityNumberValue(99).build());
    assertThat(accepted).isEqualTo(1);
    assertThat(logs).extracting(LogEntry::body).containsExactly("kept");
    assertThat(rejections.points(OtlpRejectReason.INVALID_TRACE_ID)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.INVALID_SPAN_ID)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_SEVERITY)).isEqualTo(1);
    ExportLogsServiceResponse response =
        (ExportLogsServiceResponse) OtlpResponses.export(OtlpSignal.LOGS, rejections);
    assertThat(response.getPartialSuccess().getRejectedLogRecords()).isEqualTo(3);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo(
            "log record: trace id must be empty or 16 bytes, was 5; "
                + "log record: span id must be empty or 8 bytes, was 3; "
                + "log record: severity number must be 0 to 24, was 99");
  }

  private long map(LogRecord... records) {
    return LogsRequestMapper.map(
        ExportLogsServiceRequest.newBuilder()
            .addResourceLogs(
                ResourceLogs.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(kv("service.name", "cart")))
                    .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))))
            .build(),
        NOW,
        logs::add,
        rejections);
  }
}
