package dev.tally.gateway.config;

import dev.tally.protocol.model.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kinds of configuration values, each with its parser and the words that say what is allowed.
 */
enum ValueType {
  PORT(Integer.class, "<port>", "a port number from 0 to 65535 (0 picks a free port)") {
    @Override
    Object parse(String s) {
      return intBetween(s, 0, 65535);
    }
  },
  HOST(String.class, "<address>", "an IP address or host name") {
    @Override
    Object parse(String s) {
      return s.isBlank() || s.contains(" ") ? null : s;
    }
  },
  POSITIVE_INT(Integer.class, "<n>", "a whole number from 1 to 10000000") {
    @Override
    Object parse(String s) {
      return intBetween(s, 1, 10_000_000);
    }
  },
  DIGITS(Integer.class, "<1-3>", "1, 2 or 3 significant digits") {
    @Override
    Object parse(String s) {
      return intBetween(s, 1, 3);
    }
  },
  DURATION(Long.class, "<duration>", "a duration such as 500ms, 1s, 10m, 1h or 15d") {
    @Override
    Object parse(String s) {
      long millis = Durations.parseMillis(s, -1);
      return millis < 0 ? null : millis;
    }
  },
  SIZE(
      Integer.class,
      "<bytes>",
      "a size in bytes, optionally with KiB, MiB or GiB, such as 8192 or 4MiB") {
    @Override
    Object parse(String s) {
      Object v = BYTES.parse(s);
      return v instanceof Long n && n <= Integer.MAX_VALUE ? (Object) n.intValue() : null;
    }
  },
  /** A {@link #SIZE} beyond 2 GiB: disk bounds. */
  BYTES(
      Long.class,
      "<bytes>",
      "a size in bytes, optionally with KiB, MiB, GiB or TiB, such as 8192 or 20GiB") {
    @Override
    Object parse(String s) {
      Matcher m = BYTES_PATTERN.matcher(s);
      if (!m.matches()) {
        return null;
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2);
      int shift =
          unit == null || unit.equals("B")
              ? 0
              : switch (unit.charAt(0)) {
                case 'K', 'k' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                default -> 40;
              };
      return n > (Long.MAX_VALUE >> shift) ? null : n << shift;
    }
  },
  PATH(String.class, "<file>", "a file path") {
    @Override
    Object parse(String s) {
      return s.isBlank() ? null : s;
    }
  },
  BOOLEAN(Boolean.class, "<true|false>", "true or false") {
    @Override
    Object parse(String s) {
      return s.equals("true") ? Boolean.TRUE : s.equals("false") ? Boolean.FALSE : null;
    }
  },
  RATIO(Double.class, "<0..1>", "a number from 0 to 1, such as 0.1") {
    @Override
    Object parse(String s) {
      double v = Double.parseDouble(s);
      return v >= 0 && v <= 1 ? v : null;
    }
  },
  OBSERVER(String.class, "<summary|histogram|both>", "summary, histogram or both") {
    @Override
    Object parse(String s) {
      return dev.tally.verticles.snapshot.ObserverType.ofWord(s) == null ? null : s;
    }
  },
  BUCKETS(
      List.class,
      "<bounds>",
      "a comma-separated list of increasing finite numbers, such as 0.005,0.01,0.1,1") {
    @Override
    Object parse(String s) {
      Object list = LIST.parse(s);
      if (!(list instanceof List<?> items) || items.isEmpty()) {
        return null;
      }
      double[] bounds = new double[items.size()];
      for (int i = 0; i < bounds.length; i++) {
        bounds[i] = Double.parseDouble((String) items.get(i));
      }
      return dev.tally.verticles.aggregate.HistogramLayout.checkBounds(bounds) == null
          ? list
          : null;
    }
  },
  URL(String.class, "<url>", "an http:// or https:// URL") {
    @Override
    Object parse(String s) {
      return (s.startsWith("http://") || s.startsWith("https://")) && !s.contains(" ") ? s : null;
    }
  },
  /**
   * Export targets: a URL, several comma-separated, or (from a repeated flag or a configuration
   * file's list) a JSON array of URLs and of maps of per-target keys, checked by {@link
   * ExportTargets}.
   */
  TARGETS(
      List.class,
      "<url>",
      "an http:// or https:// URL; repeat the option for more targets; in a configuration file, a list of URLs or of maps with url and per-target keys") {
    @Override
    Object parse(String s) {
      if (s.startsWith("[")) {
        try {
          return List.copyOf(new io.vertx.core.json.JsonArray(s).getList());
        } catch (io.vertx.core.json.DecodeException | NullPointerException e) {
          return null;
        }
      }
      return LIST.parse(s);
    }
  },
  NETWORKS(
      List.class,
      "<networks>",
      "a comma-separated list of IP addresses or networks, such as 127.0.0.1,10.0.0.0/8,::1") {
    @Override
    Object parse(String s) {
      return listOf(s, n -> Network.parse(n) != null);
    }
  },
  TOKENS(List.class, "<tokens>", "a comma-separated list of tokens without spaces") {
    @Override
    Object parse(String s) {
      return LIST.parse(s);
    }
  },
  MEMBERS(
      List.class,
      "<members>",
      "a comma-separated list of host:port, such as 10.0.0.1:5701,10.0.0.2:5701") {
    @Override
    Object parse(String s) {
      return listOf(
          s,
          m -> {
            int colon = m.lastIndexOf(':');
            return colon > 0 && intBetween(m.substring(colon + 1), 1, 65_535) != null;
          });
    }
  },
  NAMES(
      List.class,
      "<names>",
      "a comma-separated list of names without spaces, such as cloud.region,k8s.pod.name") {
    @Override
    Object parse(String s) {
      return LIST.parse(s);
    }
  },
  PATHS(List.class, "<files>", "a comma-separated list of file paths") {
    @Override
    Object parse(String s) {
      return LIST.parse(s);
    }
  },
  /** The comma-separated list the other list types refine; not an option's type. */
  LIST(List.class, "<list>", "a comma-separated list without spaces") {
    @Override
    Object parse(String s) {
      if (s.isBlank()) {
        return List.of(); // none (also a YAML empty list)
      }
      List<String> names = new ArrayList<>();
      for (String name : s.split(",", -1)) {
        String n = name.trim();
        if (n.isEmpty() || n.chars().anyMatch(Character::isWhitespace)) {
          return null;
        }
        names.add(n);
      }
      return List.copyOf(names);
    }
  };

  /**
   * {@code millis} as a {@link #DURATION} is written: whole hours ({@code 12h}), whole minutes from
   * 10 minutes ({@code 10m}), whole seconds ({@code 60s}), else milliseconds.
   */
  static String duration(long millis) {
    if (millis >= 2 * 86_400_000L && millis % 86_400_000L == 0) {
      return millis / 86_400_000L + "d";
    }
    if (millis >= 3_600_000 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis >= 600_000 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /**
   * {@code bytes} as a {@link #SIZE} is written: whole GiB ({@code 1GiB}), whole MiB ({@code
   * 4MiB}), else bytes.
   */
  static String size(long bytes) {
    if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "GiB";
    }
    return bytes >= 1 << 20 && bytes % (1 << 20) == 0
        ? (bytes >> 20) + "MiB"
        : Long.toString(bytes);
  }

  private static final Pattern BYTES_PATTERN =
      Pattern.compile("(\\d{1,12})(B|KiB|MiB|GiB|TiB|K|M|G|T|k)?");

  /** The class of what {@link #parse} returns. */
  final Class<?> javaType;

  final String placeholder;
  final String allowed;

  ValueType(Class<?> javaType, String placeholder, String allowed) {
    this.javaType = javaType;
    this.placeholder = placeholder;
    this.allowed = allowed;
  }

  /**
   * The typed value (Integer, Long milliseconds, Double, Boolean, String, List of String), or null
   * if {@code s} is not allowed.
   */
  abstract Object parse(String s);

  /** {@code s} as an Integer if it is a whole number in [min, max], else null. */
  /** A {@link #LIST} whose every item is {@code valid}; null if any is not. */
  private static Object listOf(String s, java.util.function.Predicate<String> valid) {
    Object list = LIST.parse(s);
    if (!(list instanceof List<?> items)) {
      return null;
    }
    for (Object item : items) {
      if (!valid.test((String) item)) {
        return null;
      }
    }
    return list; // LIST's own, unmodifiable
  }

  private static Object intBetween(String s, long min, long max) {
    long v = Long.parseLong(s);
    return v >= min && v <= max ? (int) v : null;
  }

  /** True for the types whose value is a list written as comma-separated words. */
  boolean isList() {
    return this == NAMES
        || this == NETWORKS
        || this == TOKENS
        || this == MEMBERS
        || this == BUCKETS;
  }

  /** As {@link #parse}, but null instead of a {@link NumberFormatException}. */
  Object parseOrNull(String s) {
    try {
      return parse(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
