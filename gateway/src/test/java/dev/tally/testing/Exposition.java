package dev.tally.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Prometheus text scrape: sample name with labels ({@code x_total{a="b"}}) to value. The
 * labels of a sample are kept in name order, as the format does not order them: a sample is found
 * whatever order its labels are asked in.
 */
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
          canonical(line.substring(0, space)),
          Double.parseDouble(line.substring(space + 1).replace("+Inf", "Infinity")));
    }
  }

  public String text() {
    return text;
  }

  /** The samples, their labels in name order. */
  public Map<String, Double> samples() {
    return samples;
  }

  /** The samples whose name starts with {@code prefix}, sorted. */
  public Map<String, Double> startingWith(String prefix) {
    Map<String, Double> out = new java.util.TreeMap<>();
    samples.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** The type a {@code # TYPE} line gives {@code family}; null if there is none. */
  public String typeOf(String family) {
    String prefix = "# TYPE " + family + " ";
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length());
      }
    }
    return null;
  }

  /** True if the page has the sample (its labels in any order). */
  public boolean has(String sample) {
    return samples.containsKey(canonical(sample));
  }

  /** The value of a sample, or NaN if absent. */
  public double value(String sample) {
    return samples.getOrDefault(canonical(sample), Double.NaN);
  }

  /** {@code sample} with its labels in name order. */
  static String canonical(String sample) {
    int brace = sample.indexOf('{');
    if (brace < 0 || !sample.endsWith("}")) {
      return sample;
    }
    List<String> pairs = new ArrayList<>();
    int at = brace + 1;
    int end = sample.length() - 1;
    while (at < end) {
      int quote = sample.indexOf('"', at); // name="
      int close = quote + 1;
      while (sample.charAt(close) != '"') {
        close += sample.charAt(close) == '\\' ? 2 : 1;
      }
      pairs.add(sample.substring(at, close + 1));
      at = close + 1;
      if (at < end && sample.charAt(at) == ',') {
        at++;
      }
    }
    pairs.sort(Comparator.comparing(p -> p.substring(0, p.indexOf('='))));
    return sample.substring(0, brace) + "{" + String.join(",", pairs) + "}";
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
