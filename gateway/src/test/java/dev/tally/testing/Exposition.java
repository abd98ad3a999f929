package dev.tally.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** A parsed Prometheus text scrape: sample name with labels ({@code x_total{a="b"}}) to value. */
public final class Exposition {
  private final String text;
  private final Map<String, Double> samples = new LinkedHashMap<>();

  public Exposition(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(
          line.substring(0, space),
          Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
    }
  }

  public String text() {
    return text;
  }

  public Map<String, Double> samples() {
    return samples;
  }

  /** The value of a sample, or NaN if absent. */
  public double value(String sample) {
    return samples.getOrDefault(sample, Double.NaN);
  }

  /**
   * The sum of the samples named {@code name} that carry every given label ({@code "transport",
   * "grpc", ...}, among others); 0 if there is none.
   */
  public double sum(String name, String... labels) {
    double sum = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String key = e.getKey();
      if (!key.equals(name) && !key.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labels.length && all; i += 2) {
        String pair = labels[i] + "=\"" + labels[i + 1] + "\"";
        all =
            key.contains("{" + pair + ",")
                || key.contains("," + pair + ",")
                || key.contains("{" + pair + "}")
                || key.contains("," + pair + "}");
      }
      if (all) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  @Override
  public String toString() {
    return text;
  }
}
