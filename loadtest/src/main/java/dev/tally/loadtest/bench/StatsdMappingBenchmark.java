package dev.tally.loadtest.bench;

import dev.tally.protocol.statsd.mapping.Mapped;
import dev.tally.protocol.statsd.mapping.MappingCache;
import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.protocol.statsd.mapping.MatchType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a statsd_exporter mapping file costs per StatsD name: {@code Mappings.map} (the glob trie,
 * the regex rules after it, the captures expanded), and through a shard's {@link MappingCache},
 * with files of 1 and 1 000 rules. The names cycle through 10 000 distinct ones: {@code map} maps
 * each every time, the cache (10 000 names) holds them all. Nanoseconds per name.
 *
 * <pre>java -jar loadtest/target/benchmarks.jar StatsdMappingBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StatsdMappingBenchmark {
  static final int NAMES = 10_000;

  /** Rules in the file: the last maps the names; the others (990 globs, 10 regexes) do not. */
  @Param({"1", "1000"})
  public int rules;

  /** {@code glob}: the names hit a glob rule; {@code regex}: only the last, a regex rule. */
  @Param({"glob", "regex"})
  public String hit;

  private Mappings mappings;
  private MappingCache cache;
  private String[] names;
  private int next;

  @Setup
  public void setUp() {
    mappings = mappings(rules, hit.equals("regex"));
    cache = new MappingCache(mappings, MappingCache.DEFAULT_SIZE);
    names = new String[NAMES];
    for (int i = 0; i < NAMES; i++) {
      names[i] = "api.route" + (i % 500) + "." + (200 + i % 5) + ".latency" + (i / 2500);
    }
  }

  static Mappings mappings(int count, boolean regexHit) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < count - 1; i++) {
      if (i < count - 11 || count < 12) {
        list.add(
            rule(
                "match", "svc" + i + ".*.*.requests",
                "name", "svc" + i + "_requests_total",
                "labels", rule("route", "$1", "code", "$2")));
      } else {
        list.add(
            rule(
                "match",
                "job" + i + "\\.(\\w+)\\.duration",
                "match_type",
                "regex",
                "name",
                "job" + i + "_duration_seconds",
                "labels",
                rule("step", "$1")));
      }
    }
    list.add(
        regexHit
            ? rule(
                "match", "^api\\.(\\w+)\\.(\\d+)\\.(\\w+)$",
                "match_type", "regex",
                "name", "api_${3}_seconds",
                "labels", rule("route", "$1", "code", "$2"))
            : rule(
                "match", "api.*.*.*",
                "name", "api_${3}_seconds",
                "labels", rule("route", "$1", "code", "$2")));
    List<String> problems = new ArrayList<>();
    Mappings m = Mappings.read(rule("mappings", list), problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(problems.toString());
    }
    return m;
  }

  private static Map<String, Object> rule(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private String name() {
    String n = names[next];
    next = next + 1 == NAMES ? 0 : next + 1;
    return n;
  }

  @Benchmark
  public Mapped map() {
    return mappings.map(name(), MatchType.OBSERVER);
  }

  @Benchmark
  public Mapped cached() {
    return cache.map(name(), MatchType.OBSERVER);
  }
}
