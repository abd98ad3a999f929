package dev.tally.verticles.live;

import dev.tally.protocol.model.Exemplar;
import dev.tally.protocol.model.JsonText;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import java.util.Locale;

/**
 * The JSON of the live feed and the series API (CONTRACT §7), written into a {@link StringBuilder}
 * without an object tree: a series' identity ({@code key}, {@code name}, {@code kind}, {@code
 * tags}) and its values at a tick. Values are in the unit of {@code /metrics} (timers in seconds);
 * a value that is not a number is {@code null}.
 */
public final class LiveJson {
  private LiveJson() {}

  /**
   * The key of a series: its exposed family name and labels, as in {@code /metrics} ({@code
   * api_requests_total{env="prod"}}); unique over all series.
   */
  public static String key(SeriesSnapshot s) {
    return s.family() + "{" + s.labels() + "}";
  }

  /** The kind as the feed names it: {@code counter}, {@code gauge}, {@code timer}, ... */
  public static String kind(MetricKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** Writes {@code "key":..,"name":..,"kind":..,"tags":{..}} (no braces around). */
  public static void identity(StringBuilder sb, SeriesSnapshot s) {
    sb.append("\"key\":");
    string(sb, key(s));
    sb.append(",\"name\":");
    string(sb, s.family());
    sb.append(",\"kind\":\"").append(kind(s.kind())).append("\",\"tags\":{");
    SeriesKey k = s.key();
    for (int i = 0; i < k.labelCount(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      string(sb, k.labelName(i));
      sb.append(':');
      string(sb, k.labelValue(i));
    }
    sb.append('}');
  }

  /** Writes {@code {identity, values}} of a series at a tick. */
  public static void series(StringBuilder sb, SeriesSnapshot s) {
    sb.append('{');
    identity(sb, s);
    values(sb, s);
    if (s.exemplarCount() > 0) {
      sb.append(",\"ex\":true"); // its history (GET /api/series/{key}) has exemplars
    }
    sb.append('}');
  }

  /**
   * Writes {@code ,"name":value} for each value the feed shows of {@code s} (see {@link Fields}).
   */
  static void values(StringBuilder sb, SeriesSnapshot s) {
    Fields fields = Fields.of(s.kind());
    double[] v = new double[fields.names.length];
    fields.values(s, v, 0);
    fields(sb, fields, v, 0);
  }

  /** Writes {@code ,"name":value} for each field of {@code kind}, from {@code values[from...]}. */
  static void fields(StringBuilder sb, Fields fields, double[] values, int from) {
    for (int i = 0; i < fields.names.length; i++) {
      sb.append(",\"").append(fields.names[i]).append("\":");
      number(sb, values[from + i]);
    }
  }

  /**
   * Writes {@code ,"exemplars":[{"ts","value","trace_id","span_id"}]}: the series' exemplars
   * recorded after {@code afterMillis}, in value order (in shown units, seconds for span
   * durations); nothing if it has none.
   */
  public static void exemplars(StringBuilder sb, SeriesSnapshot s, long afterMillis) {
    java.util.List<Exemplar> shown = new java.util.ArrayList<>();
    for (int i = 0; i < s.exemplarCount(); i++) {
      Exemplar e = s.exemplar(i);
      if (e != null && e.epochMillis() > afterMillis) {
        shown.add(e);
      }
    }
    if (shown.isEmpty()) {
      return;
    }
    shown.sort(java.util.Comparator.comparingDouble(Exemplar::value));
    sb.append(",\"exemplars\":[");
    for (int i = 0; i < shown.size(); i++) {
      Exemplar e = shown.get(i);
      sb.append(i == 0 ? "{" : ",{")
          .append("\"ts\":")
          .append(e.epochMillis())
          .append(",\"value\":");
      number(sb, e.value());
      sb.append(",\"trace_id\":");
      string(sb, e.traceId());
      sb.append(",\"span_id\":");
      string(sb, e.spanIdHex());
      sb.append('}');
    }
    sb.append(']');
  }

  /** A JSON number, or {@code null} for NaN and infinities. */
  public static void number(StringBuilder sb, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      sb.append("null");
    } else if (v == (long) v && Math.abs(v) < 1e15) {
      sb.append((long) v);
    } else {
      sb.append(v);
    }
  }

  /** A JSON string, escaped. */
  public static void string(StringBuilder sb, String s) {
    JsonText.appendString(sb, s);
  }
}
