package dev.tally.verticles.export;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.live.Subscription;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a tick into the OTLP metric records of a target's queues: every matched series as one
 * metric of one cumulative data point, named by its Prometheus family so that an OTLP receiver that
 * names metrics as Prometheus does (Tally, the Collector's Prometheus exporters) shows the same
 * names. Counters are monotonic Sums; gauges and sets Gauges; OTLP histograms Histograms with their
 * buckets; StatsD timers and distributions, OTLP exponential histograms and summaries Summaries of
 * the quantiles {@code /metrics} shows, with sum and count (their quantiles are over Tally's
 * sliding window, which a Summary states as it is, where a histogram would need cumulative buckets
 * Tally does not keep for them). A series' {@code job} and {@code instance} labels go back into its
 * resource ({@code service.namespace/service.name}, {@code service.instance.id}); its other labels
 * are the point's attributes. Not thread-safe: the target's exporter owns it.
 */
final class OtlpMetricsBatches {
  private final Subscription match;
  private final int maxPoints;
  private final long startNanos;
  private final List<Map<Resource, List<Metric>>> pending = new ArrayList<>();
  private final int[] points;

  /**
   * @param startNanos the start of every cumulative point: when this exporter started
   */
  OtlpMetricsBatches(List<String> match, int shards, int maxPoints, long startNanos) {
    this.match = Subscription.of(match);
    this.maxPoints = maxPoints;
    this.startNanos = startNanos;
    this.points = new int[shards];
    for (int i = 0; i < shards; i++) {
      pending.add(new LinkedHashMap<>());
    }
  }

  /** Encodes {@code tick} into records; returns the points encoded. */
  long encode(TickSnapshot tick, RemoteWriteBatches.Records out) {
    long nanos = tick.tickMillis() * 1_000_000L;
    long n = 0;
    for (SeriesSnapshot s : tick.series()) {
      if (!match.matches(s)) {
        continue;
      }
      int shard = ExportTarget.shardOf(s.key().hashCode(), points.length);
      List<KeyValue> attributes = new ArrayList<>(s.key().labelCount());
      String job = null;
      String instance = null;
      SeriesKey key = s.key();
      for (int i = 0; i < key.labelCount(); i++) {
        String name = key.labelName(i);
        if (name.equals("job")) {
          job = key.labelValue(i);
        } else if (name.equals("instance")) {
          instance = key.labelValue(i);
        } else {
          attributes.add(attribute(name, key.labelValue(i)));
        }
      }
      pending
          .get(shard)
          .computeIfAbsent(resource(job, instance), r -> new ArrayList<>())
          .add(metric(s, attributes, nanos));
      n++;
      if (++points[shard] >= maxPoints) {
        flush(shard, out);
      }
    }
    for (int shard = 0; shard < points.length; shard++) {
      flush(shard, out);
    }
    return n;
  }

  private void flush(int shard, RemoteWriteBatches.Records out) {
    if (points[shard] == 0) {
      return;
    }
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    pending
        .get(shard)
        .forEach(
            (resource, metrics) ->
                request.addResourceMetrics(
                    ResourceMetrics.newBuilder()
                        .setResource(resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics))));
    byte[] bytes = request.build().toByteArray();
    out.record(shard, bytes, bytes.length, points[shard]);
    pending.get(shard).clear();
    points[shard] = 0;
  }

  private static KeyValue attribute(String name, String value) {
    return KeyValue.newBuilder()
        .setKey(name)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** The resource of a series' job and instance ({@code namespace/name} as Tally joins them). */
  static Resource resource(String job, String instance) {
    Resource.Builder r = Resource.newBuilder();
    if (job != null) {
      int slash = job.indexOf('/');
      if (slash > 0 && slash < job.length() - 1) {
        r.addAttributes(attribute("service.namespace", job.substring(0, slash)));
        r.addAttributes(attribute("service.name", job.substring(slash + 1)));
      } else {
        r.addAttributes(attribute("service.name", job));
      }
    }
    if (instance != null) {
      r.addAttributes(attribute("service.instance.id", instance));
    }
    return r.build();
  }

  private Metric metric(SeriesSnapshot s, List<KeyValue> attributes, long nanos) {
    Metric.Builder m = Metric.newBuilder().setName(s.family());
    if (s.help() != null) {
      m.setDescription(s.help());
    }
    if (s.bucketCount() > 0) { // OTLP histograms, and timers and distributions exposed as ones
      return histogram(m, s, attributes, nanos);
    }
    switch (s.kind()) {
      case COUNTER:
      case OTLP_COUNTER:
        return m.setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setStartTimeUnixNano(startNanos)
                            .setTimeUnixNano(nanos)
                            .setAsDouble(s.value())
                            .addAllAttributes(attributes)))
            .build();
      case GAUGE:
      case SET:
      case OTLP_GAUGE:
        return m.setGauge(
                Gauge.newBuilder()
                    .addDataPoints(
                        NumberDataPoint.newBuilder()
                            .setTimeUnixNano(nanos)
                            .setAsDouble(s.value())
                            .addAllAttributes(attributes)))
            .build();
      default:
        double scale = s.kind() == MetricKind.TIMER ? 1000 : 1; // timers: milliseconds to seconds
        if (s.kind() == MetricKind.TIMER) {
          m.setUnit("s");
        }
        SummaryDataPoint.Builder q =
            SummaryDataPoint.newBuilder()
                .setStartTimeUnixNano(startNanos)
                .setTimeUnixNano(nanos)
                .setCount((long) s.count())
                .setSum(s.sum() / scale)
                .addAllAttributes(attributes);
        for (int i = 0; i < s.quantileCount(); i++) {
          q.addQuantileValues(
              SummaryDataPoint.ValueAtQuantile.newBuilder()
                  .setQuantile(s.quantileLevel(i))
                  .setValue(s.quantile(i, scale)));
        }
        return m.setSummary(Summary.newBuilder().addDataPoints(q)).build();
    }
  }

  private Metric histogram(
      Metric.Builder m, SeriesSnapshot s, List<KeyValue> attributes, long nanos) {
    double scale = s.unitDivisor(); // timers: milliseconds to seconds
    if (s.kind() == MetricKind.TIMER) {
      m.setUnit("s");
    }
    HistogramDataPoint.Builder h =
        HistogramDataPoint.newBuilder()
            .setStartTimeUnixNano(startNanos)
            .setTimeUnixNano(nanos)
            .setCount((long) s.count())
            .setSum(s.sum() / scale)
            .addAllAttributes(attributes);
    double below = 0;
    for (int b = 0; b < s.bucketCount(); b++) {
      h.addExplicitBounds(s.bucketBound(b));
      h.addBucketCounts((long) (s.cumulativeBucketCount(b) - below));
      below = s.cumulativeBucketCount(b);
    }
    h.addBucketCounts((long) Math.max(0, s.count() - below));
    return m.setHistogram(
            Histogram.newBuilder()
                .setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(h))
        .build();
  }
}
