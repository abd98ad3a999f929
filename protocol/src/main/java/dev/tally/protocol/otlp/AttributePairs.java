package dev.tally.protocol.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/** OTLP attributes as the trace and log stores keep them: a name/value string array. */
final class AttributePairs {
  static final String[] NONE = new String[0];
  static final String SERVICE_NAME = "service.name";

  private AttributePairs() {}

  /** Every attribute as name, value (the label form of {@link AttributesMapper#valueString}). */
  static String[] of(List<KeyValue> attributes) {
    int n = attributes.size();
    if (n == 0) {
      return NONE;
    }
    String[] pairs = new String[2 * n];
    for (int i = 0; i < n; i++) {
      KeyValue kv = attributes.get(i);
      pairs[2 * i] = kv.getKey();
      pairs[2 * i + 1] = AttributesMapper.valueString(kv.getValue());
    }
    return pairs;
  }

  /** The value of {@code name} in {@code pairs}; empty if absent. */
  static String get(String[] pairs, String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return pairs[i + 1];
      }
    }
    return "";
  }
}
