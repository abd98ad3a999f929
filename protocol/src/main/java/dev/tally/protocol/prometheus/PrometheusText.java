package dev.tally.protocol.prometheus;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import java.math.BigDecimal;

/**
 * Writes the Prometheus text exposition format 0.0.4 into a {@link StringBuilder}: {@code # HELP}
 * and {@code # TYPE} lines per family, then its samples. The caller keeps each family's samples
 * together. Not thread-safe.
 */
public final class PrometheusText {
  /** The content type of what this writer produces. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The content type of OpenMetrics text (written with {@link #openMetricsFamily}). */
  public static final String OPENMETRICS_CONTENT_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final StringBuilder out;

  public PrometheusText(StringBuilder out) {
    this.out = out;
  }

  /**
   * The exposed family name of a series: {@code _total} for counters, {@code _seconds} for StatsD
   * timers; OTLP names already carry their unit.
   */
  public static String familyName(SeriesKey key) {
    return familyName(key.kind(), key.name());
  }

  /** See {@link #familyName(SeriesKey)}. */
  public static String familyName(MetricKind kind, String name) {
    switch (kind) {
      case COUNTER:
      case OTLP_COUNTER:
        return name.endsWith("_total") ? name : name + "_total";
      case TIMER:
        return name.endsWith("_seconds") ? name : name + "_seconds";
      default:
        return name;
    }
  }

  /** The Prometheus type of a kind's family. */
  public static String typeName(MetricKind kind) {
    switch (kind) {
      case COUNTER:
      case OTLP_COUNTER:
        return "counter";
      case OTLP_HISTOGRAM:
        return "histogram";
      case TIMER:
      case DISTRIBUTION:
      case OTLP_EXPONENTIAL_HISTOGRAM:
      case OTLP_SUMMARY:
        return "summary";
      default:
        return "gauge";
    }
  }

  /** The labels of a key as {@code a="x",b="y"}, values escaped; empty if it has none. */
  public static String labels(SeriesKey key) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < key.labelCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(key.labelName(i)).append("=\"");
      escape(sb, key.labelValue(i), true);
      sb.append('"');
    }
    return sb.toString();
  }

  /** Labels from a map as {@code a="x",b="y"}, sorted by name, values escaped. */
  public static String labels(java.util.Map<String, String> labels) {
    StringBuilder sb = new StringBuilder();
    for (String name : new java.util.TreeSet<>(labels.keySet())) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(name).append("=\"");
      escape(sb, labels.get(name), true);
      sb.append('"');
    }
    return sb.toString();
  }

  /** Writes the {@code # HELP} and {@code # TYPE} lines of a family. */
  public PrometheusText family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escape(out, help, false);
    out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /**
   * Writes the {@code # TYPE}, {@code # UNIT} (if {@code unit} is not null) and {@code # HELP}
   * lines of an OpenMetrics family; {@code name} is the family's, without the {@code _total} of
   * counters' samples.
   */
  public PrometheusText openMetricsFamily(String name, String type, String unit, String help) {
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    if (unit != null) {
      out.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
    }
    out.append("# HELP ").append(name).append(' ');
    escape(out, help, true); // OpenMetrics escapes quotes in help text too
    out.append('\n');
    return this;
  }

  /** Writes {@code name{labels} value}; {@code labels} as made by {@link #labels}, may be empty. */
  public PrometheusText sample(String name, String labels, double value) {
    return sample(name, labels, null, null, value, null);
  }

  /**
   * Writes {@code name{labels,extraName="extraValue"} value}, then, OpenMetrics' way, {@code #
   * {trace_id="...",span_id="..."} value timestamp} if {@code exemplar} is not null; {@code
   * extraName} may be null (no extra label), {@code extraValue} must need no escaping.
   */
  public PrometheusText sample(
      String name,
      String labels,
      String extraName,
      String extraValue,
      double value,
      Exemplar exemplar) {
    appendValue(series(name, labels, extraName, extraValue), value);
    if (exemplar != null) {
      out.append(" # {trace_id=\"").append(exemplar.traceId()).append('"');
      if (exemplar.spanId() != 0) {
        out.append(",span_id=\"").append(exemplar.spanIdHex()).append('"');
      }
      out.append("} ");
      appendValue(out, exemplar.value());
      if (exemplar.epochMillis() > 0) {
        appendSeconds(out.append(' '), exemplar.epochMillis());
      }
    }
    out.append('\n');
    return this;
  }

  /**
   * Writes {@code name{labels} seconds}, epoch milliseconds as seconds with three decimals: an
   * OpenMetrics {@code _created} sample.
   */
  public PrometheusText sampleSeconds(String name, String labels, long epochMillis) {
    appendSeconds(series(name, labels, null, null), epochMillis).append('\n');
    return this;
  }

  /** Writes {@code name{labels,extraName="extraValue"} }, no braces if no label; the builder. */
  private StringBuilder series(String name, String labels, String extraName, String extraValue) {
    out.append(name);
    if (!labels.isEmpty() || extraName != null) {
      out.append('{').append(labels);
      if (extraName != null) {
        out.append(labels.isEmpty() ? "" : ",")
            .append(extraName)
            .append("=\"")
            .append(extraValue)
            .append('"');
      }
      out.append('}');
    }
    return out.append(' ');
  }

  private static StringBuilder appendSeconds(StringBuilder sb, long epochMillis) {
    long millis = Math.floorMod(epochMillis, 1000);
    sb.append(Math.floorDiv(epochMillis, 1000)).append('.');
    return sb.append(millis < 100 ? millis < 10 ? "00" : "0" : "").append(millis);
  }

  /**
   * Appends a sample value: integers without a fraction, {@code NaN}, {@code +Inf}, {@code -Inf}.
   */
  public static void appendValue(StringBuilder sb, double v) {
    if (v == (long) v && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else if (Double.isNaN(v)) {
      sb.append("NaN");
    } else if (Double.isInfinite(v)) {
      sb.append(v > 0 ? "+Inf" : "-Inf");
    } else {
      sb.append(v);
    }
  }

  /**
   * A float as a label value ({@code le}, {@code quantile}): plain decimal, shortest form, no
   * exponent ({@code 0.005}, {@code 1}, {@code 10000}), {@code +Inf}, {@code -Inf} or {@code NaN}.
   */
  public static String formatFloat(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      StringBuilder sb = new StringBuilder(4);
      appendValue(sb, v);
      return sb.toString();
    }
    if (v == 0) {
      return "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  private static void escape(StringBuilder sb, String s, boolean quotes) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '"' && quotes) {
        sb.append("\\\"");
      } else {
        sb.append(c);
      }
    }
  }
}
