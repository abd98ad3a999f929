package dev.tally.protocol.otlp;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the data point mappers of one metric share: the series kind and name, the labels of its
 * resource and scope, its temporality, and where points and rejections go.
 */
final class MetricContext {
  final MetricKind kind;
  final String name;
  final String help;
  final boolean delta;
  private final String otlpName;
  private final List<String> baseLabels;
  private final Consumer<OtlpPoint> sink;
  private final Rejections rejections;
  private final LabelLimits limits;

  MetricContext(
      MetricKind kind,
      String otlpName,
      String name,
      String help,
      boolean delta,
      List<String> baseLabels,
      LabelLimits limits,
      Consumer<OtlpPoint> sink,
      Rejections rejections) {
    this.limits = limits;
    this.kind = kind;
    this.otlpName = otlpName;
    this.name = name;
    this.help = help;
    this.delta = delta;
    this.baseLabels = baseLabels;
    this.sink = sink;
    this.rejections = rejections;
  }

  /**
   * The key of the series of a point with these attributes; null, with the point rejected, if the
   * labels are over the limits.
   */
  SeriesKey key(List<KeyValue> attributes) {
    if (attributes.size() > limits.maxLabels()) { // before copying a hundred thousand of them
      reject(
          OtlpRejectReason.LABEL_LIMITS,
          attributes.size() + " attributes, over the label limit of " + limits.maxLabels());
      return null;
    }
    List<String> labels = new ArrayList<>(baseLabels.size() + 2 * attributes.size());
    labels.addAll(baseLabels);
    AttributesMapper.append(attributes, labels);
    String over = limits.check(name, labels);
    if (over != null) {
      reject(OtlpRejectReason.LABEL_LIMITS, over);
      return null;
    }
    return SeriesKey.of(kind, name, labels);
  }

  void accept(OtlpPoint point) {
    sink.accept(point);
  }

  /** Rejects one point of this metric. */
  void reject(OtlpRejectReason reason, String detail) {
    rejectAll(reason, 1, detail);
  }

  void rejectAll(OtlpRejectReason reason, long points, String detail) {
    rejections.add(reason, points, "metric \"" + otlpName + "\": " + detail);
  }
}
