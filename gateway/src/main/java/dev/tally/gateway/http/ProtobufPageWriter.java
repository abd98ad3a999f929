package dev.tally.gateway.http;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.NativeHistogram;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_31_1.Metrics;
import io.prometheus.metrics.shaded.com_google_protobuf_4_31_1.Timestamp;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The protobuf format ({@code io.prometheus.client.MetricFamily}, length-delimited), with the
 * classes the Prometheus Java client generates from its {@code metrics.proto}. Series with native
 * buckets are histograms here whatever they are in the text formats (a summary's quantiles are left
 * out, a histogram's classic buckets kept beside the native ones). A family is written as a message
 * of at most {@link #METRICS_PER_MESSAGE} series, and goes on in another message of the same name:
 * a scrape never holds a whole family of 100 000 series.
 */
final class ProtobufPageWriter implements PageWriter {
  static final int METRICS_PER_MESSAGE = 1000;

  /**
   * The zero threshold of native histograms: their zero bucket holds exact zeros, but a threshold
   * of 0 with no bucket in use would not tell Prometheus that the histogram is native (the Go
   * client's default, 2^-128, is the same mark).
   */
  static final double ZERO_THRESHOLD = Math.scalb(1.0, -128);

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
  private Metrics.MetricFamily.Builder family;

  @Override
  public void family(SeriesSnapshot first, String name, String type, String unit, String help) {
    flush();
    boolean histogram = first != null && first.nativeHistogram() != null;
    family =
        Metrics.MetricFamily.newBuilder()
            .setName(name)
            .setHelp(help)
            .setType(histogram ? Metrics.MetricType.HISTOGRAM : typeOf(type));
  }

  private static Metrics.MetricType typeOf(String type) {
    switch (type) {
      case "counter":
        return Metrics.MetricType.COUNTER;
      case "summary":
        return Metrics.MetricType.SUMMARY;
      case "histogram":
        return Metrics.MetricType.HISTOGRAM;
      default:
        return Metrics.MetricType.GAUGE;
    }
  }

  @Override
  public void series(SeriesSnapshot s) {
    Metrics.Metric.Builder m = Metrics.Metric.newBuilder();
    labels(m, s.key());
    switch (family.getType()) {
      case COUNTER:
        Metrics.Counter.Builder c = Metrics.Counter.newBuilder().setValue(s.value());
        if (s.exemplar(0) != null) {
          c.setExemplar(exemplar(s.exemplar(0)));
        }
        if (s.createdMillis() > 0) {
          c.setCreatedTimestamp(timestamp(s.createdMillis()));
        }
        m.setCounter(c);
        break;
      case GAUGE:
        m.setGauge(Metrics.Gauge.newBuilder().setValue(s.value()));
        break;
      case SUMMARY:
        m.setSummary(summary(s));
        break;
      default:
        m.setHistogram(histogram(s));
    }
    add(m);
  }

  private static Metrics.Summary.Builder summary(SeriesSnapshot s) {
    Metrics.Summary.Builder q =
        Metrics.Summary.newBuilder()
            .setSampleCount((long) s.count())
            .setSampleSum(s.sum() / s.unitDivisor());
    if (s.createdMillis() > 0) {
      q.setCreatedTimestamp(timestamp(s.createdMillis()));
    }
    for (int i = 0; i < s.quantileCount(); i++) {
      q.addQuantile(
          Metrics.Quantile.newBuilder()
              .setQuantile(s.quantileLevel(i))
              .setValue(s.quantile(i, s.unitDivisor())));
    }
    return q;
  }

  private static Metrics.Histogram.Builder histogram(SeriesSnapshot s) {
    Metrics.Histogram.Builder h =
        Metrics.Histogram.newBuilder().setSampleSum(s.sum() / s.unitDivisor());
    if (s.createdMillis() > 0) {
      h.setCreatedTimestamp(timestamp(s.createdMillis()));
    }
    double count = s.count();
    if (count == Math.rint(count)) {
      h.setSampleCount((long) count);
    } else {
      h.setSampleCountFloat(count);
    }
    if (ExposedSamples.isHistogram(s)) {
      for (int b = 0; b < s.bucketCount(); b++) {
        Metrics.Bucket.Builder bucket = Metrics.Bucket.newBuilder().setUpperBound(s.bucketBound(b));
        double c = s.cumulativeBucketCount(b);
        if (c == Math.rint(c)) {
          bucket.setCumulativeCount((long) c);
        } else {
          bucket.setCumulativeCountFloat(c);
        }
        if (s.exemplar(b) != null) {
          bucket.setExemplar(exemplar(s.exemplar(b)));
        }
        h.addBucket(bucket);
      }
      // Prometheus adds the +Inf bucket from the count; written only to carry its exemplar
      Exemplar inf = s.exemplar(s.bucketCount());
      if (inf != null) {
        h.addBucket(
            Metrics.Bucket.newBuilder()
                .setUpperBound(Double.POSITIVE_INFINITY)
                .setCumulativeCountFloat(count)
                .setExemplar(exemplar(inf)));
      }
    }
    NativeHistogram n = s.nativeHistogram();
    if (n != null) {
      h.setSchema(n.schema()).setZeroThreshold(ZERO_THRESHOLD).setZeroCount(n.zeroCount());
      side(n.positiveFirst(), n.positive(), h, true);
      side(n.negativeFirst(), n.negative(), h, false);
    }
    return h;
  }

  private static Metrics.Exemplar exemplar(Exemplar e) {
    Metrics.Exemplar.Builder x =
        Metrics.Exemplar.newBuilder()
            .addLabel(Metrics.LabelPair.newBuilder().setName("trace_id").setValue(e.traceId()))
            .setValue(e.value());
    if (e.spanId() != 0) {
      x.addLabel(Metrics.LabelPair.newBuilder().setName("span_id").setValue(e.spanIdHex()));
    }
    if (e.epochMillis() > 0) {
      x.setTimestamp(timestamp(e.epochMillis()));
    }
    return x.build();
  }

  private static Timestamp timestamp(long epochMillis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochMillis, 1000))
        .setNanos((int) Math.floorMod(epochMillis, 1000) * 1_000_000)
        .build();
  }

  /** One span over a side's dense counts, its counts as deltas (the first absolute). */
  private static void side(
      int first, long[] counts, Metrics.Histogram.Builder h, boolean positive) {
    if (counts.length == 0) {
      return;
    }
    Metrics.BucketSpan span =
        Metrics.BucketSpan.newBuilder().setOffset(first).setLength(counts.length).build();
    long previous = 0;
    if (positive) {
      h.addPositiveSpan(span);
      for (long c : counts) {
        h.addPositiveDelta(c - previous);
        previous = c;
      }
    } else {
      h.addNegativeSpan(span);
      for (long c : counts) {
        h.addNegativeDelta(c - previous);
        previous = c;
      }
    }
  }

  @Override
  public void windowSummary(SeriesSnapshot s) {
    Metrics.Metric.Builder m = Metrics.Metric.newBuilder();
    labels(m, s.key());
    m.setSummary(summary(s));
    add(m);
  }

  private static void labels(Metrics.Metric.Builder m, SeriesKey key) {
    for (int i = 0; i < key.labelCount(); i++) {
      m.addLabel(
          Metrics.LabelPair.newBuilder().setName(key.labelName(i)).setValue(key.labelValue(i)));
    }
  }

  private void add(Metrics.Metric.Builder m) {
    family.addMetric(m);
    if (family.getMetricCount() >= METRICS_PER_MESSAGE) {
      flush();
    }
  }

  /** Writes the family's series so far as one message; the family may go on in another. */
  private void flush() {
    if (family == null || family.getMetricCount() == 0) {
      return;
    }
    try {
      family.build().writeDelimitedTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    family.clearMetric();
  }

  @Override
  public int size() {
    return bytes.size() + (family == null ? 0 : family.getMetricCount() * 64);
  }

  @Override
  public Buffer piece() {
    flush();
    Buffer b = Buffer.buffer(bytes.toByteArray());
    bytes.reset();
    return b;
  }

  @Override
  public Buffer tail(List<Map<String, String>> alerts, PrometheusMeterRegistry meters)
      throws IOException {
    flush();
    family = null;
    if (!alerts.isEmpty()) {
      Metrics.MetricFamily.Builder f =
          Metrics.MetricFamily.newBuilder()
              .setName("ALERTS")
              .setHelp("Pending and firing alerts, one series each.")
              .setType(Metrics.MetricType.GAUGE);
      for (Map<String, String> labels : alerts) {
        Metrics.Metric.Builder m = Metrics.Metric.newBuilder();
        new java.util.TreeMap<>(labels)
            .forEach(
                (name, value) ->
                    m.addLabel(Metrics.LabelPair.newBuilder().setName(name).setValue(value)));
        f.addMetric(m.setGauge(Metrics.Gauge.newBuilder().setValue(1)));
      }
      f.build().writeDelimitedTo(bytes);
    }
    meters.scrape(bytes, ExpositionFormat.PROTOBUF.contentType);
    return piece();
  }
}
