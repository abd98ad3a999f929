package dev.tally.loadtest.blaster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The blaster's command line: {@code --rate 500000 --lines-per-packet 20 --series 1000 --mix
 * c=60,ms=30,g=5,s=5 --tags 2 --duration 30s --threads 2 --host 127.0.0.1 --port 8125 --metrics
 * http://127.0.0.1:8080/metrics}. Every problem is reported at once.
 */
final class BlasterOptions {
  String host = "127.0.0.1";
  int port = 8125;

  /** Lines per second over all threads; 0 sends as fast as the socket takes them. */
  long rate = 100_000;

  int linesPerPacket = 20;
  int series = 1000;

  /** Share of each StatsD type, in percent of lines. */
  Map<String, Integer> mix = new LinkedHashMap<>(Map.of("c", 100));

  int tags = 0;
  long durationMillis = 10_000;
  int threads = 2;

  /** The gateway's {@code /metrics}, read before and after to count accepted lines; empty: none. */
  String metrics = "http://127.0.0.1:8080/metrics";

  static BlasterOptions parse(String[] args) {
    BlasterOptions o = new BlasterOptions();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = i + 1 < args.length ? args[++i] : null;
      if (value == null) {
        problems.add(name + ": needs a value");
        break;
      }
      try {
        switch (name) {
          case "--host":
            o.host = value;
            break;
          case "--port":
            o.port = Integer.parseInt(value);
            break;
          case "--rate":
            o.rate = Long.parseLong(value);
            break;
          case "--lines-per-packet":
            o.linesPerPacket = Integer.parseInt(value);
            break;
          case "--series":
            o.series = Integer.parseInt(value);
            break;
          case "--mix":
            o.mix = mix(value);
            break;
          case "--tags":
            o.tags = Integer.parseInt(value);
            break;
          case "--duration":
            o.durationMillis = duration(value);
            break;
          case "--threads":
            o.threads = Integer.parseInt(value);
            break;
          case "--metrics":
            o.metrics = value;
            break;
          default:
            problems.add(name + ": unknown option");
        }
      } catch (IllegalArgumentException e) {
        problems.add(name + ": '" + value + "' is not allowed (" + e.getMessage() + ")");
      }
    }
    if (o.linesPerPacket < 1 || o.series < 1 || o.threads < 1 || o.rate < 0 || o.tags < 0) {
      problems.add(
          "--lines-per-packet, --series and --threads must be >= 1; --rate and --tags >= 0");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return o;
  }

  private static Map<String, Integer> mix(String value) {
    Map<String, Integer> mix = new LinkedHashMap<>();
    int total = 0;
    for (String part : value.split(",")) {
      String[] kv = part.split("=");
      if (kv.length != 2 || !List.of("c", "ms", "g", "s", "h", "d").contains(kv[0].trim())) {
        throw new IllegalArgumentException("expected type=percent pairs of c, ms, g, s, h, d");
      }
      int share = Integer.parseInt(kv[1].trim());
      mix.put(kv[0].trim(), share);
      total += share;
    }
    if (total != 100) {
      throw new IllegalArgumentException("the shares add up to " + total + ", not 100");
    }
    return mix;
  }

  private static long duration(String value) {
    if (value.endsWith("ms")) {
      return Long.parseLong(value.substring(0, value.length() - 2));
    }
    if (value.endsWith("s")) {
      return Long.parseLong(value.substring(0, value.length() - 1)) * 1000;
    }
    if (value.endsWith("m")) {
      return Long.parseLong(value.substring(0, value.length() - 1)) * 60_000;
    }
    throw new IllegalArgumentException("a duration such as 500ms, 30s or 2m");
  }
}
