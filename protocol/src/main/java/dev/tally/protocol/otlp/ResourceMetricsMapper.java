package dev.tally.protocol.otlp;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps a {@code ResourceMetrics}: {@code service.namespace}/{@code service.name} become the {@code
 * job} label and {@code service.instance.id} the {@code instance} label of every series; the other
 * resource attributes go to one {@code target_info} gauge per job and instance; those named to be
 * promoted are also labels of every series.
 */
final class ResourceMetricsMapper {
  static final String TARGET_INFO = "target_info";
  static final String TARGET_INFO_HELP = "Target metadata";
  static final String SERVICE_NAME = "service.name";
  private static final String SERVICE_INSTANCE_ID = "service.instance.id";

  private ResourceMetricsMapper() {}

  static long map(
      ResourceMetrics rm,
      Set<String> promoted,
      LabelLimits limits,
      Consumer<OtlpPoint> sink,
      Rejections rejections) {
    String name = null;
    String namespace = null;
    String instance = null;
    List<KeyValue> others = new ArrayList<>();
    List<KeyValue> attributes = rm.getResource().getAttributesList();
    // five hundred thousand of them would make a target_info line of megabytes: beyond the label
    // limit, target_info is rejected and only job, instance and promoted attributes are read
    boolean described = attributes.size() <= limits.maxLabels();
    for (KeyValue kv : attributes) {
      switch (kv.getKey()) {
        case SERVICE_NAME:
          name = AttributesMapper.valueString(kv.getValue());
          break;
        case ServiceJob.NAMESPACE:
          namespace = AttributesMapper.valueString(kv.getValue());
          break;
        case SERVICE_INSTANCE_ID:
          instance = AttributesMapper.valueString(kv.getValue());
          break;
        default:
          if (described || promoted.contains(kv.getKey())) {
            others.add(kv);
          }
      }
    }
    List<String> labels = new ArrayList<>(4);
    if (name != null) {
      labels.add("job");
      labels.add(ServiceJob.of(name, namespace));
    }
    if (instance != null) {
      labels.add("instance");
      labels.add(instance);
    }
    int jobAndInstance = labels.size();
    if (!promoted.isEmpty()) {
      for (KeyValue kv : others) {
        if (promoted.contains(kv.getKey())) {
          labels.add(kv.getKey());
          labels.add(AttributesMapper.valueString(kv.getValue()));
        }
      }
    }
    long accepted = 0;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      accepted += ScopeMetricsMapper.map(sm, labels, limits, sink, rejections);
    }
    if (!described) {
      rejections.add(
          OtlpRejectReason.LABEL_LIMITS,
          1,
          "target_info: resource with "
              + attributes.size()
              + " attributes, over the label limit of "
              + limits.maxLabels());
    } else if (!others.isEmpty()) {
      List<String> info = new ArrayList<>(labels.size() + 2 * others.size());
      info.addAll(labels.subList(0, jobAndInstance)); // job, instance, every other attribute
      AttributesMapper.append(others, info);
      String over = limits.check(TARGET_INFO, info);
      if (over == null) {
        SeriesKey key = SeriesKey.of(MetricKind.OTLP_GAUGE, TARGET_INFO, info);
        sink.accept(new NumberPoint(key, TARGET_INFO_HELP, 0, 0, 1, false));
      } else {
        rejections.add(OtlpRejectReason.LABEL_LIMITS, 1, "target_info: " + over);
      }
    }
    return accepted;
  }

  /** The data points of every metric of a resource. */
  static long points(ResourceMetrics rm) {
    long n = 0;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      for (io.opentelemetry.proto.metrics.v1.Metric m : sm.getMetricsList()) {
        n += MetricMapper.pointCount(m);
      }
    }
    return n;
  }
}
