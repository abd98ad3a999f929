package dev.tally.protocol.otlp;

import dev.tally.protocol.model.JsonText;
import dev.tally.protocol.model.Pairs;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;
import java.util.List;

/**
 * Maps OTLP attributes ({@code KeyValue}s) to raw label pairs. Values become strings as the
 * OpenTelemetry Prometheus rules say: strings as they are, booleans and numbers in their usual
 * form, bytes in base64, arrays and maps in JSON. Names are sanitized later, by {@code SeriesKey}.
 */
final class AttributesMapper {
  private AttributesMapper() {}

  /**
   * Every attribute as name, value in one array: the trace and log stores' form ({@link
   * dev.tally.protocol.model.Pairs}).
   */
  static String[] pairs(List<KeyValue> attributes) {
    int n = attributes.size();
    if (n == 0) {
      return Pairs.NONE;
    }
    String[] pairs = new String[2 * n];
    for (int i = 0; i < n; i++) {
      KeyValue kv = attributes.get(i);
      pairs[2 * i] = kv.getKey();
      pairs[2 * i + 1] = valueString(kv.getValue());
    }
    return pairs;
  }

  /**
   * Which of the attributes' {@link #pairs} values are numbers or booleans ({@link Pairs#typed}):
   * ints, finite doubles and bools, whose value strings are then their JSON text.
   */
  static long typed(List<KeyValue> attributes) {
    long typed = 0;
    for (int i = 0, n = Math.min(attributes.size(), Long.SIZE); i < n; i++) {
      AnyValue v = attributes.get(i).getValue();
      switch (v.getValueCase()) {
        case INT_VALUE:
        case BOOL_VALUE:
          typed |= 1L << i;
          break;
        case DOUBLE_VALUE:
          if (Double.isFinite(v.getDoubleValue())) {
            typed |= 1L << i;
          }
          break;
        default:
          break;
      }
    }
    return typed;
  }

  /** The resource's {@code service.name} in its pairs; empty if it has none. */
  static String service(String[] resource) {
    String name = Pairs.value(resource, ResourceMetricsMapper.SERVICE_NAME);
    return name == null ? "" : name;
  }

  /** Appends each attribute as a name and a value to {@code labels}. */
  static void append(List<KeyValue> attributes, List<String> labels) {
    for (int i = 0, n = attributes.size(); i < n; i++) {
      KeyValue kv = attributes.get(i);
      labels.add(kv.getKey());
      labels.add(valueString(kv.getValue()));
    }
  }

  /** The label value of an attribute value; empty for an unset value. */
  static String valueString(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return Boolean.toString(v.getBoolValue());
      case INT_VALUE:
        return Long.toString(v.getIntValue());
      case DOUBLE_VALUE:
        return Double.toString(v.getDoubleValue());
      case BYTES_VALUE:
        return Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE:
      case KVLIST_VALUE:
        StringBuilder sb = new StringBuilder();
        appendJson(sb, v);
        return sb.toString();
      default:
        return "";
    }
  }

  private static void appendJson(StringBuilder sb, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
      case BYTES_VALUE:
        JsonText.appendString(sb, valueString(v));
        break;
      case ARRAY_VALUE:
        sb.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          sb.append(i > 0 ? "," : "");
          appendJson(sb, values.get(i));
        }
        sb.append(']');
        break;
      case KVLIST_VALUE:
        sb.append('{');
        List<KeyValue> kvs = v.getKvlistValue().getValuesList();
        for (int i = 0; i < kvs.size(); i++) {
          sb.append(i > 0 ? "," : "");
          JsonText.appendString(sb, kvs.get(i).getKey());
          sb.append(':');
          appendJson(sb, kvs.get(i).getValue());
        }
        sb.append('}');
        break;
      case VALUE_NOT_SET:
        sb.append("null");
        break;
      default:
        sb.append(valueString(v));
    }
  }
}
