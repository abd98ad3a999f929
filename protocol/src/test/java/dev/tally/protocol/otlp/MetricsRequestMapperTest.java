package dev.tally.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mapper tree without Vert.x: requests in, points and rejections out. */
class MetricsRequestMapperTest {
  private final List<OtlpPoint> points = new ArrayList<>();
  private final Rejections rejections = new Rejections();

  @Test
  void serviceAttributesBecomeJobAndInstanceAndTheOthersTargetInfo() {
    map(
        resource(
            List.of(
                kv("service.namespace", "shop"),
                kv("service.name", "cart"),
                kv("service.instance.id", "pod-1"),
                kv("k8s.pod.name", "cart-7")),
            scope("lib", "1.0", gauge("up", NumberDataPoint.newBuilder().setAsInt(1)))));
    assertThat(keys())
        .containsExactly(
            "up{instance=\"pod-1\",job=\"shop/cart\",otel_scope_name=\"lib\",otel_scope_version=\"1.0\"}",
            "target_info{instance=\"pod-1\",job=\"shop/cart\",k8s_pod_name=\"cart-7\"}");
    assertThat(points.get(1).help()).isEqualTo("Target metadata");
  }

  @Test
  void promotedResourceAttributesAlsoBecomeLabelsOfEverySeries() {
    MetricsRequestMapper.map(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                resource(
                    List.of(kv("service.name", "cart"), kv("cloud.region", "eu-1")),
                    scope("", "", gauge("up", NumberDataPoint.newBuilder().setAsInt(1)))))
            .build(),
        java.util.Set.of("cloud.region"),
        LabelLimits.DEFAULT,
        points::add,
        rejections);
    assertThat(keys())
        .containsExactly(
            "up{cloud_region=\"eu-1\",job=\"cart\"}",
            "target_info{cloud_region=\"eu-1\",job=\"cart\"}");
  }

  @Test
  void noTargetInfoWithoutDescriptiveAttributesAndNoScopeLabelsWhenEmpty() {
    map(
        resource(
            List.of(kv("service.name", "cart")),
            scope("", "", gauge("up", NumberDataPoint.newBuilder().setAsInt(1)))));
    assertThat(keys()).containsExactly("up{job=\"cart\"}");
  }

  @Test
  void attributeValuesOfEveryTypeBecomeStringsAndCollidingKeysAreJoined() {
    NumberDataPoint.Builder p =
        NumberDataPoint.newBuilder()
            .setAsDouble(2.5)
            .addAttributes(kv("flag", AnyValue.newBuilder().setBoolValue(true)))
            .addAttributes(kv("code", AnyValue.newBuilder().setIntValue(503)))
            .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(0.25)))
            .addAttributes(
                kv("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi"))))
            .addAttributes(
                kv(
                    "list",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a\"b"))
                                .addValues(AnyValue.newBuilder().setIntValue(1)))))
            .addAttributes(
                kv(
                    "map",
                    AnyValue.newBuilder()
                        .setKvlistValue(KeyValueList.newBuilder().addValues(kv("k", "v")))))
            .addAttributes(kv("a.b", "x"))
            .addAttributes(kv("a_b", "y"));
    map(resource(List.of(), scope("", "", gauge("g", p))));
    assertThat(keys())
        .containsExactly(
            "g{a_b=\"x;y\",code=\"503\",flag=\"true\",list=\"[\"a\\\"b\",1]\",map=\"{\"k\":\"v\"}\",ratio=\"0.25\",raw=\"aGk=\"}");
    assertThat(((NumberPoint) points.get(0)).value()).isEqualTo(2.5);
  }

  @Test
  void labelsThatWouldBreakTheExpositionAreRenamedOrDropped() {
    HistogramDataPoint.Builder p =
        HistogramDataPoint.newBuilder()
            .setCount(1)
            .addAttributes(kv("le", "x"))
            .addAttributes(kv("__name__", "y"))
            .addAttributes(kv("", "z"));
    Metric h =
        Metric.newBuilder()
            .setName("h")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(p))
            .build();
    Metric nameless =
        gauge("", NumberDataPoint.newBuilder().setAsInt(1)).toBuilder().setUnit("s").build();
    map(resource(List.of(), scope("", "", h, nameless)));
    assertThat(keys()).containsExactly("h{_name_=\"y\",exported_le=\"x\"}");
    assertThat(rejections.points(OtlpRejectReason.MISSING_NAME)).isEqualTo(1);
  }

  @Test
  void infiniteBoundsAndNonFiniteSumsAreRejected() {
    Metric infiniteBound =
        histogram(List.of(1.0, Double.POSITIVE_INFINITY), List.of(0L, 1L, 0L), 1);
    Metric nanSum =
        Metric.newBuilder()
            .setName("h")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setCount(0).setSum(Double.NaN)))
            .build();
    Metric infiniteDelta =
        Metric.newBuilder()
            .setName("d")
            .setSum(
                Sum.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        NumberDataPoint.newBuilder().setAsDouble(Double.POSITIVE_INFINITY)))
            .build();
    map(resource(List.of(), scope("", "", infiniteBound, nanSum, infiniteDelta)));
    assertThat(points).isEmpty();
    assertThat(rejections.points(OtlpRejectReason.BAD_BUCKETS)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_VALUE)).isEqualTo(2);
  }

  @Test
  void sumsBecomeCountersOrGaugesWithTheirTemporality() {
    map(
        resource(
            List.of(),
            scope(
                "",
                "",
                sum("requests", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, 3),
                sum(
                    "queue",
                    false,
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                    -2))));
    NumberPoint requests = (NumberPoint) points.get(0);
    NumberPoint queue = (NumberPoint) points.get(1);
    assertThat(requests.key().kind()).isEqualTo(MetricKind.OTLP_COUNTER);
    assertThat(requests.delta()).isTrue();
    assertThat(queue.key().kind()).isEqualTo(MetricKind.OTLP_GAUGE);
    assertThat(queue.delta()).isFalse();
    assertThat(queue.value()).isEqualTo(-2);
    assertThat(rejections.points()).isZero();
  }

  @Test
  void pointsFlaggedNoRecordedValueAreSkippedWithoutRejection() {
    long accepted =
        map(
            resource(
                List.of(),
                scope(
                    "",
                    "",
                    gauge(
                        "g",
                        NumberDataPoint.newBuilder()
                            .setFlags(NumberDataPointMapper.NO_RECORDED_VALUE)
                            .setAsDouble(1)))));
    assertThat(accepted).isEqualTo(1);
    assertThat(points).isEmpty();
    assertThat(rejections.points()).isZero();
  }

  @Test
  void badPointsAreRejectedWithAReasonAndTheGoodOnesKept() {
    Metric unspecified =
        Metric.newBuilder()
            .setName("u")
            .setSum(Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(1)))
            .build();
    Metric negativeCounter =
        sum("c", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, -1);
    Metric noValue = gauge("n", NumberDataPoint.newBuilder());
    Metric unsorted = histogram(List.of(2.0, 1.0), List.of(0L, 1L, 0L), 1);
    Metric wrongCount = histogram(List.of(1.0), List.of(1L, 1L), 3);
    Metric noBuckets = histogram(List.of(), List.of(), 4);
    Metric badScale = exponential(21, 0, List.of(), 0);
    Metric expoCount = exponential(0, 1, List.of(1L, 1L), 5);
    Metric quantile =
        Metric.newBuilder()
            .setName("s")
            .setSummary(
                Summary.newBuilder()
                    .addDataPoints(
                        SummaryDataPoint.newBuilder()
                            .addQuantileValues(
                                SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1.5))))
            .build();
    long accepted =
        map(
            resource(
                List.of(),
                scope(
                    "",
                    "",
                    unspecified,
                    negativeCounter,
                    noValue,
                    unsorted,
                    wrongCount,
                    noBuckets,
                    badScale,
                    expoCount,
                    quantile,
                    gauge("ok", NumberDataPoint.newBuilder().setAsInt(1)))));
    assertThat(accepted).isEqualTo(2); // noBuckets and ok
    assertThat(keys()).containsExactly("h", "ok");
    assertThat(((HistogramPoint) points.get(0)).bucketCounts()).containsExactly(4);
    assertThat(rejections.points()).isEqualTo(8);
    assertThat(rejections.points(OtlpRejectReason.NO_TEMPORALITY)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_VALUE)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.NO_VALUE)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_BUCKETS)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_COUNT)).isEqualTo(2);
    assertThat(rejections.points(OtlpRejectReason.BAD_SCALE)).isEqualTo(1);
    assertThat(rejections.points(OtlpRejectReason.BAD_QUANTILE)).isEqualTo(1);
    assertThat(rejections.message())
        .startsWith(
            "metric \"u\": aggregation temporality is unspecified; metric \"c\": monotonic sum with value -1.0; metric \"n\": data point without a value")
        .endsWith("; and 5 more problem(s)");
  }

  @Test
  void pointsOverTheLabelLimitsAreRejectedAndTheOthersKept() {
    LabelLimits limits = new LabelLimits(3, 10, 60);
    List<KeyValue> many = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      many.add(kv("a" + i, "v"));
    }
    NumberDataPoint.Builder ok =
        NumberDataPoint.newBuilder().setAsInt(1).addAttributes(kv("k", "v"));
    NumberDataPoint.Builder tooMany =
        NumberDataPoint.newBuilder().setAsInt(1).addAllAttributes(many);
    NumberDataPoint.Builder tooLong =
        NumberDataPoint.newBuilder().setAsInt(1).addAttributes(kv("k", "x".repeat(11)));
    NumberDataPoint.Builder longKey =
        NumberDataPoint.newBuilder()
            .setAsInt(1)
            .addAttributes(kv("key_one_long_name", "0123456789"))
            .addAttributes(kv("key_two_long_name", "0123456789"));
    long accepted =
        MetricsRequestMapper.map(
            ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(
                    resource(
                        List.of(kv("service.name", "cart")),
                        scope("", "", gauge("up", ok, tooMany, tooLong, longKey))))
                .addResourceMetrics(resource(many, scope("", "", gauge("up", ok, ok))))
                .build(),
            java.util.Set.of(),
            limits,
            points::add,
            rejections);
    // the resource with 100 000 attributes loses its target_info, not its points
    assertThat(accepted).isEqualTo(3);
    assertThat(keys()).containsExactly("up{job=\"cart\",k=\"v\"}", "up{k=\"v\"}", "up{k=\"v\"}");
    // 3 points of the first resource, the target_info of the second
    assertThat(rejections.points(OtlpRejectReason.LABEL_LIMITS)).isEqualTo(4);
    assertThat(rejections.message())
        .endsWith("and 1 more problem(s)") // the target_info, past the three named
        .contains("label k has a value of 11 characters, over the limit of 10")
        .contains("over the limit of 60");
  }

  private long map(ResourceMetrics rm) {
    return MetricsRequestMapper.map(
        ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build(),
        points::add,
        rejections);
  }

  private List<String> keys() {
    return points.stream()
        .map(p -> p.key().toString().replace("{}", ""))
        .collect(Collectors.toList());
  }

  static ResourceMetrics resource(List<KeyValue> attributes, ScopeMetrics scope) {
    return ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(attributes))
        .addScopeMetrics(scope)
        .build();
  }

  static ScopeMetrics scope(String name, String version, Metric... metrics) {
    return ScopeMetrics.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName(name).setVersion(version))
        .addAllMetrics(List.of(metrics))
        .build();
  }

  static Metric gauge(String name, NumberDataPoint.Builder... points) {
    Gauge.Builder g = Gauge.newBuilder();
    for (NumberDataPoint.Builder p : points) {
      g.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setGauge(g).build();
  }

  static Metric sum(String name, boolean monotonic, AggregationTemporality t, long value) {
    return Metric.newBuilder()
        .setName(name)
        .setSum(
            Sum.newBuilder()
                .setIsMonotonic(monotonic)
                .setAggregationTemporality(t)
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(value)))
        .build();
  }

  static Metric histogram(List<Double> bounds, List<Long> counts, long count) {
    return Metric.newBuilder()
        .setName("h")
        .setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(
                    HistogramDataPoint.newBuilder()
                        .addAllExplicitBounds(bounds)
                        .addAllBucketCounts(counts)
                        .setCount(count)))
        .build();
  }

  static Metric exponential(int scale, long zero, List<Long> positive, long count) {
    return Metric.newBuilder()
        .setName("e")
        .setExponentialHistogram(
            ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(
                    ExponentialHistogramDataPoint.newBuilder()
                        .setScale(scale)
                        .setZeroCount(zero)
                        .setCount(count)
                        .setPositive(
                            ExponentialHistogramDataPoint.Buckets.newBuilder()
                                .addAllBucketCounts(positive))))
        .build();
  }

  static KeyValue kv(String key, String value) {
    return kv(key, AnyValue.newBuilder().setStringValue(value));
  }

  static KeyValue kv(String key, AnyValue.Builder value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}
