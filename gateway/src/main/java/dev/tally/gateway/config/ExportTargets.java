package dev.tally.gateway.config;

import dev.tally.protocol.model.Durations;
import dev.tally.verticles.export.ExportProtocol;
import dev.tally.verticles.export.ExportTarget;
import dev.tally.verticles.export.Signal;
import dev.tally.verticles.live.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The export targets of {@code export-remote-write} and {@code export-otlp}: each a URL, or a map
 * of a URL and per-target keys. Every bad key of every target is named ({@code
 * export-remote-write[2].tls-ca: ...}).
 */
final class ExportTargets {
  static final String URL = "url";
  static final String NAME = "name";
  static final String HEADERS = "headers";
  static final String BEARER_TOKEN = "bearer-token";
  static final String MATCH = "match";
  static final String TIMEOUT = "timeout";
  static final String TLS_CA = "tls-ca";
  static final String TLS_CERT = "tls-cert";
  static final String TLS_KEY = "tls-key";
  static final String SHARDS = "shards";
  static final String MAX_SAMPLES_PER_SEND = "max-samples-per-send";
  static final String SIGNALS = "signals";
  static final String COMPRESSION = "compression";

  /** Every per-target key, in the order the reference lists them. */
  static final List<String> KEYS =
      List.of(
          URL,
          NAME,
          HEADERS,
          BEARER_TOKEN,
          MATCH,
          TIMEOUT,
          TLS_CA,
          TLS_CERT,
          TLS_KEY,
          SHARDS,
          MAX_SAMPLES_PER_SEND,
          SIGNALS,
          COMPRESSION);

  private ExportTargets() {}

  /** Adds a problem for every bad target and key. */
  static void check(Map<String, Object> values, List<String> problems) {
    read(values, problems);
  }

  /** Every target, remote write first; adds to {@code problems} what is wrong with them. */
  static List<ExportTarget> read(Map<String, Object> values, List<String> problems) {
    long queueMaxBytes = ((Number) values.get(Specs.EXPORT_QUEUE_MAX_BYTES)).longValue();
    List<ExportTarget> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String option : List.of(Specs.EXPORT_REMOTE_WRITE, Specs.EXPORT_OTLP)) {
      if (!(values.get(option) instanceof List<?> items)) {
        continue;
      }
      for (int i = 0; i < items.size(); i++) {
        String where = option + "[" + (i + 1) + "]";
        ExportTarget t = target(option, items.get(i), queueMaxBytes, where, problems);
        if (t != null && !names.add(t.name())) {
          problems.add(
              where
                  + ": another target is named '"
                  + t.name()
                  + "' (each has its own queue): give one a 'name'");
        } else if (t != null) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static ExportTarget target(
      String option, Object item, long queueMaxBytes, String where, List<String> problems) {
    boolean otlp = option.equals(Specs.EXPORT_OTLP);
    Map<String, Object> keys = new LinkedHashMap<>();
    if (item instanceof String url) {
      keys.put(URL, url);
    } else if (item instanceof Map<?, ?> map) {
      map.forEach((k, v) -> keys.put(String.valueOf(k), v));
    } else {
      problems.add(where + ": expected a URL or a map with 'url', got '" + item + "'");
      return null;
    }
    int before = problems.size();
    for (String key : keys.keySet()) {
      if (!KEYS.contains(key)) {
        problems.add(where + "." + key + ": unknown key; allowed: " + String.join(", ", KEYS));
      }
    }
    URI url = url(keys.get(URL), otlp, where, problems);
    Set<Signal> signals = signals(keys.get(SIGNALS), otlp, where + "." + SIGNALS, problems);
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = keys.get(HEADERS);
    if (h instanceof Map<?, ?> map) {
      map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    } else if (h != null) {
      problems.add(where + "." + HEADERS + ": expected a map of header names to values");
    }
    Object token = keys.get(BEARER_TOKEN);
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    List<String> match = new ArrayList<>();
    Object m = keys.get(MATCH);
    if (m instanceof List<?> globs) {
      globs.forEach(g -> match.add(String.valueOf(g)));
    } else if (m instanceof String glob) {
      match.add(glob);
    } else if (m != null) {
      problems.add(where + "." + MATCH + ": expected a list of globs such as http_*");
    }
    try {
      Subscription.of(match); // as the exporter will take them
    } catch (IllegalArgumentException e) {
      problems.add(where + "." + MATCH + ": " + e.getMessage());
    }
    long timeout = ExportTarget.DEFAULT_TIMEOUT_MILLIS;
    if (keys.get(TIMEOUT) != null) {
      timeout = Durations.parseMillis(String.valueOf(keys.get(TIMEOUT)), -1);
      if (timeout < 100) {
        problems.add(where + "." + TIMEOUT + ": expected a duration of 100ms or more, such as 30s");
      }
    }
    String ca = file(keys.get(TLS_CA), where + "." + TLS_CA, problems);
    String cert = file(keys.get(TLS_CERT), where + "." + TLS_CERT, problems);
    String key = file(keys.get(TLS_KEY), where + "." + TLS_KEY, problems);
    if ((cert == null) != (key == null)) {
      problems.add(where + ": " + TLS_CERT + " and " + TLS_KEY + " go together");
    }
    int shards =
        count(keys.get(SHARDS), ExportTarget.DEFAULT_SHARDS, 64, where + "." + SHARDS, problems);
    int maxSamples =
        count(
            keys.get(MAX_SAMPLES_PER_SEND),
            ExportTarget.DEFAULT_MAX_SAMPLES_PER_SEND,
            1_000_000,
            where + "." + MAX_SAMPLES_PER_SEND,
            problems);
    boolean gzip = otlp;
    Object compression = keys.get(COMPRESSION);
    if (compression != null) {
      if (!otlp) {
        problems.add(
            where + "." + COMPRESSION + ": remote write is always snappy-compressed; leave it out");
      } else if (compression.equals("gzip") || compression.equals("none")) {
        gzip = compression.equals("gzip");
      } else {
        problems.add(where + "." + COMPRESSION + ": '" + compression + "' is not gzip or none");
      }
    }
    if (problems.size() > before || url == null) {
      return null;
    }
    String name =
        keys.get(NAME) == null
            ? ExportTarget.defaultName(url)
            : ExportTarget.safe(String.valueOf(keys.get(NAME)));
    ExportProtocol protocol =
        !otlp
            ? ExportProtocol.REMOTE_WRITE
            : url.getScheme().startsWith("grpc")
                ? ExportProtocol.OTLP_GRPC
                : ExportProtocol.OTLP_HTTP;
    return new ExportTarget(
        protocol,
        signals,
        name,
        url,
        headers,
        match,
        timeout,
        ca,
        cert,
        key,
        shards,
        maxSamples,
        queueMaxBytes,
        gzip);
  }

  private static URI url(Object raw, boolean otlp, String where, List<String> problems) {
    if (raw == null) {
      problems.add(where + "." + URL + ": missing");
      return null;
    }
    String s = String.valueOf(raw);
    List<String> schemes =
        otlp ? List.of("http", "https", "grpc", "grpcs") : List.of("http", "https");
    try {
      URI u = new URI(s);
      if (schemes.contains(u.getScheme()) && u.getHost() != null) {
        return u;
      }
    } catch (URISyntaxException e) {
      // below
    }
    problems.add(
        where
            + "."
            + URL
            + ": '"
            + s
            + "' is not "
            + (otlp
                ? "an http(s):// (OTLP/HTTP) or grpc(s):// (OTLP/gRPC) URL"
                : "an http:// or https:// URL"));
    return null;
  }

  /** An OTLP target's signals (default all); remote write's: metrics. */
  private static Set<Signal> signals(
      Object raw, boolean otlp, String where, List<String> problems) {
    if (raw == null) {
      return otlp ? EnumSet.allOf(Signal.class) : EnumSet.of(Signal.METRICS);
    }
    Set<Signal> out = EnumSet.noneOf(Signal.class);
    List<?> words = raw instanceof List<?> l ? l : List.of(raw);
    for (Object w : words) {
      Signal found = null;
      for (Signal sig : Signal.values()) {
        if (sig.key().equals(String.valueOf(w))) {
          found = sig;
        }
      }
      if (found == null || (!otlp && found != Signal.METRICS)) {
        problems.add(
            where
                + ": '"
                + w
                + "' is not "
                + (otlp
                    ? "metrics, traces or logs"
                    : "metrics (remote write carries metrics only)"));
      } else {
        out.add(found);
      }
    }
    return out.isEmpty() ? EnumSet.of(Signal.METRICS) : out;
  }

  private static String file(Object raw, String where, List<String> problems) {
    if (raw == null) {
      return null;
    }
    String f = String.valueOf(raw);
    if (!Files.isReadable(Path.of(f))) {
      problems.add(where + ": cannot read '" + f + "'");
    }
    return f;
  }

  private static int count(Object raw, int dflt, int max, String where, List<String> problems) {
    if (raw == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(String.valueOf(raw));
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    problems.add(where + ": expected a whole number from 1 to " + max);
    return dflt;
  }
}
