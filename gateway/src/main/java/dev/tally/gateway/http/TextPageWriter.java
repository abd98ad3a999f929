package dev.tally.gateway.http;

import dev.tally.protocol.prometheus.PrometheusText;
import dev.tally.verticles.snapshot.ExposedSamples;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;

/**
 * The text formats: Prometheus text 0.0.4, or OpenMetrics 1.0 ({@code # UNIT} lines, counters'
 * families named without {@code _total}, help text with quotes escaped, {@code # EOF} last).
 */
final class TextPageWriter implements PageWriter {
  private static final String ALERTS_HELP = "Pending and firing alerts, one series each.";

  private final boolean openMetrics;

  /** The family being written if it is a counter named without {@code _total}, else null. */
  private String unsuffixedCounter;

  private StringBuilder sb = new StringBuilder();
  private PrometheusText out = new PrometheusText(sb);

  /** The current family's {@code _created} sample name; null if it has none. */
  private String created;

  TextPageWriter(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  @Override
  public void family(SeriesSnapshot first, String name, String type, String unit, String help) {
    if (!openMetrics) {
      out.family(name, type, help);
      return;
    }
    boolean counter = type.equals("counter");
    String family =
        counter && name.endsWith("_total")
            ? name.substring(0, name.length() - "_total".length())
            : name;
    // a counter named without _total (a mapping file's name, as written): OpenMetrics still
    // wants its sample named <family>_total
    unsuffixedCounter = counter && family.equals(name) ? name : null;
    out.openMetricsFamily(family, type, unit, help);
    created = type.equals("gauge") ? null : family + "_created";
  }

  @Override
  public void series(SeriesSnapshot s) {
    ExposedSamples.forEach(s, sink(s));
    if (openMetrics && created != null && s.createdMillis() > 0) {
      out.sampleSeconds(created, s.labels(), s.createdMillis());
    }
  }

  @Override
  public void windowSummary(SeriesSnapshot s) {
    ExposedSamples.forEachWindowSummary(s, sink(s));
  }

  private ExposedSamples.Sink sink(SeriesSnapshot s) {
    return (name, extraName, extraValue, value, exemplar) ->
        out.sample(
            openMetrics && name.equals(unsuffixedCounter) ? name + "_total" : name,
            s.labels(),
            extraName,
            extraValue,
            value,
            openMetrics ? exemplar : null);
  }

  @Override
  public int size() {
    return sb.length();
  }

  @Override
  public Buffer piece() {
    Buffer b = Buffer.buffer(sb.toString());
    sb = new StringBuilder(Math.max(1024, sb.capacity()));
    out = new PrometheusText(sb);
    return b;
  }

  @Override
  public Buffer tail(List<Map<String, String>> alerts, PrometheusMeterRegistry meters) {
    if (!alerts.isEmpty()) {
      if (openMetrics) {
        out.openMetricsFamily("ALERTS", "gauge", null, ALERTS_HELP);
      } else {
        out.family("ALERTS", "gauge", ALERTS_HELP);
      }
      for (Map<String, String> labels : alerts) {
        out.sample("ALERTS", PrometheusText.labels(labels), 1);
      }
    }
    // the meters' OpenMetrics page ends with # EOF, the end of the whole page
    sb.append(
        openMetrics ? meters.scrape(PrometheusText.OPENMETRICS_CONTENT_TYPE) : meters.scrape());
    return piece();
  }
}
