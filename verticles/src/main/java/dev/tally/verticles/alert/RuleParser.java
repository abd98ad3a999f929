package dev.tally.verticles.alert;

import dev.tally.protocol.model.Durations;
import dev.tally.verticles.alert.RuleException.FieldError;
import dev.tally.verticles.live.Subscription;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a rule from JSON (the API) or from a YAML map wrapped as JSON (the rules file) and checks
 * all of it, reporting every problem at once with its field. Stateless.
 */
public final class RuleParser {
  static final Set<String> FIELDS =
      Set.of(
          "name",
          "match",
          "tags",
          "value",
          "op",
          "threshold",
          "for",
          "severity",
          "repeat",
          "labels",
          "annotations",
          "denominator");
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels every alert has, which a rule may not set. */
  static final Set<String> RESERVED = Set.of("alertname", "alertstate", "severity");

  /** How often a firing alert is notified again unless the rule says otherwise. */
  static final String DEFAULT_REPEAT = "4h";

  private RuleParser() {}

  public static Rule parse(JsonObject json) throws RuleException {
    List<FieldError> errors = new ArrayList<>();
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        errors.add(new FieldError(field, "unknown field"));
      }
    }
    String name = string(json, "name", true, errors);
    if (name != null && !NAME.matcher(name).matches()) {
      errors.add(
          new FieldError("name", "1 to 100 letters, digits and _ . : - (was '" + name + "')"));
    }
    Selector selector = selector(json, "", errors);
    String valueText = string(json, "value", true, errors);
    AlertValue value = valueText == null ? null : AlertValue.of(valueText);
    if (valueText != null && value == null) {
      errors.add(
          new FieldError(
              "value",
              "one of value rate count sum min max p50 p90 p95 p99 p999 ratio (was '"
                  + valueText
                  + "')"));
    }
    Selector denominator = null;
    if (value == AlertValue.RATIO) {
      Object d = json.getValue("denominator");
      if (!(d instanceof JsonObject)) {
        errors.add(new FieldError("denominator", "required for value ratio: {\"match\",\"tags\"}"));
      } else {
        for (String field : ((JsonObject) d).fieldNames()) {
          if (!field.equals("match") && !field.equals("tags")) {
            errors.add(new FieldError("denominator." + field, "unknown field"));
          }
        }
        denominator = selector((JsonObject) d, "denominator.", errors);
      }
    } else if (json.containsKey("denominator")) {
      errors.add(new FieldError("denominator", "only for value ratio"));
    }
    String opText = string(json, "op", true, errors);
    Op op = opText == null ? null : Op.of(opText);
    if (opText != null && op == null) {
      errors.add(new FieldError("op", "one of > >= < <= == != (was '" + opText + "')"));
    }
    Object t = json.getValue("threshold");
    double threshold = Double.NaN;
    if (t instanceof Number) {
      threshold = ((Number) t).doubleValue();
    } else {
      errors.add(new FieldError("threshold", t == null ? "required" : "must be a number"));
    }
    long forMillis = duration(json, "for", "0s", errors);
    long repeatMillis = duration(json, "repeat", DEFAULT_REPEAT, errors);
    String severityText = string(json, "severity", false, errors);
    Severity severity = severityText == null ? Severity.WARNING : Severity.of(severityText);
    if (severity == null) {
      errors.add(
          new FieldError("severity", "one of info warning critical (was '" + severityText + "')"));
    }
    Map<String, String> labels = strings(json, "labels", errors);
    for (String label : labels.keySet()) {
      if (!LABEL.matcher(label).matches() || RESERVED.contains(label)) {
        errors.add(
            new FieldError(
                "labels." + label,
                "a label name ([a-zA-Z_][a-zA-Z0-9_]*) other than alertname, alertstate, severity"));
      }
    }
    Map<String, String> annotations = strings(json, "annotations", errors);
    if (!errors.isEmpty()) {
      throw new RuleException(errors);
    }
    return new Rule(
        name,
        selector,
        value,
        denominator,
        op,
        threshold,
        forMillis,
        severity,
        repeatMillis,
        labels,
        annotations,
        null);
  }

  private static Selector selector(JsonObject json, String prefix, List<FieldError> errors) {
    String match = string(json, "match", true, errors, prefix);
    if (match != null && match.length() > Subscription.MAX_GLOB_LENGTH) {
      errors.add(
          new FieldError(
              prefix + "match", "at most " + Subscription.MAX_GLOB_LENGTH + " characters"));
      match = null;
    }
    Map<String, String> tags = strings(json, "tags", errors, prefix);
    return match == null ? null : new Selector(match, tags);
  }

  private static String string(
      JsonObject json, String field, boolean required, List<FieldError> errors) {
    return string(json, field, required, errors, "");
  }

  private static String string(
      JsonObject json, String field, boolean required, List<FieldError> errors, String prefix) {
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        errors.add(new FieldError(prefix + field, "required"));
      }
      return null;
    }
    if (!(v instanceof String) || ((String) v).isBlank()) {
      errors.add(new FieldError(prefix + field, "must be a non-empty string"));
      return null;
    }
    return (String) v;
  }

  private static long duration(
      JsonObject json, String field, String otherwise, List<FieldError> errors) {
    Object v = json.getValue(field);
    long millis = Durations.parseMillis(v == null ? otherwise : String.valueOf(v), -1);
    if (millis < 0) {
      errors.add(
          new FieldError(field, "a duration such as 500ms, 30s, 5m or 1h (was '" + v + "')"));
      return 0;
    }
    return millis;
  }

  private static Map<String, String> strings(
      JsonObject json, String field, List<FieldError> errors) {
    return strings(json, field, errors, "");
  }

  private static Map<String, String> strings(
      JsonObject json, String field, List<FieldError> errors, String prefix) {
    Object v = json.getValue(field);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof JsonObject)) {
      errors.add(new FieldError(prefix + field, "must be an object of strings"));
      return out;
    }
    for (Map.Entry<String, Object> e : (JsonObject) v) {
      if (e.getValue() instanceof String) {
        out.put(e.getKey(), (String) e.getValue());
      } else {
        errors.add(new FieldError(prefix + field + "." + e.getKey(), "must be a string"));
      }
    }
    return out;
  }
}
