package dev.tally.gateway.http;

import dev.tally.protocol.prometheus.PrometheusText;

/**
 * The formats {@code /metrics} is written in, chosen by the scraper's {@code Accept} header as
 * Prometheus asks for them: the protobuf format (the only one that carries native histograms, asked
 * for by Prometheus with {@code --enable-feature=native-histograms}), OpenMetrics text (Prometheus'
 * first choice otherwise; it carries exemplars, units and {@code _created}), and the text format
 * 0.0.4 for everyone else.
 */
enum ExpositionFormat {
  TEXT(PrometheusText.CONTENT_TYPE),
  OPENMETRICS(PrometheusText.OPENMETRICS_CONTENT_TYPE),
  PROTOBUF(
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");

  final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  /**
   * The format an {@code Accept} header prefers: of the media ranges it lists, the one with the
   * highest {@code q} (the first of equals) that names a format; text if none does or the header is
   * missing.
   */
  static ExpositionFormat negotiate(String accept) {
    if (accept == null) {
      return TEXT;
    }
    ExpositionFormat best = TEXT;
    double bestQ = -1;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
      double q = 1;
      boolean metricFamily = false;
      boolean delimited = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].trim().toLowerCase(java.util.Locale.ROOT);
        if (p.startsWith("q=")) {
          q = parseQ(p.substring(2));
        } else if (p.equals("proto=io.prometheus.client.metricfamily")) {
          metricFamily = true;
        } else if (p.equals("encoding=delimited")) {
          delimited = true;
        }
      }
      ExpositionFormat f =
          type.equals("application/vnd.google.protobuf") && metricFamily && delimited
              ? PROTOBUF
              : type.equals("application/openmetrics-text")
                  ? OPENMETRICS
                  : type.equals("text/plain") || type.equals("*/*") ? TEXT : null;
      if (f != null && q > bestQ) {
        best = f;
        bestQ = q;
      }
    }
    return bestQ > 0 ? best : TEXT;
  }

  private static double parseQ(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
