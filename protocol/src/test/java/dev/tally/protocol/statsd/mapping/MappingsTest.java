package dev.tally.protocol.statsd.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MappingsTest {

  /** A rule as the file's YAML gives it: keys and values in pairs, in order. */
  private static Map<String, Object> rule(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static Mappings read(Map<String, Object> doc) {
    List<String> problems = new ArrayList<>();
    Mappings m = Mappings.read(doc, problems);
    assertThat(problems).isEmpty();
    return m;
  }

  private static List<String> problems(Map<String, Object> doc) {
    List<String> problems = new ArrayList<>();
    assertThat(Mappings.read(doc, problems)).isNull();
    return problems;
  }

  private static Mappings rules(Map<?, ?>... rules) {
    return read(rule("mappings", List.of(rules)));
  }

  @Test
  void aGlobsStarIsOneWholeComponentEmptyIncluded() {
    Mappings m = rules(rule("match", "a.*.b", "name", "x", "labels", rule("v", "${1}")));
    assertThat(m.map("a.q.b", MatchType.COUNTER).labels()).containsExactly("v", "q");
    assertThat(m.map("a..b", MatchType.COUNTER).labels()).containsExactly("v", "");
    assertThat(m.map("a.q.r.b", MatchType.COUNTER).matched()).isFalse();
    assertThat(m.map("a.q", MatchType.COUNTER).matched()).isFalse();
  }

  @Test
  void orderedTheFirstMatchingRuleWinsUnorderedTheMostLiteral() {
    List<Map<?, ?>> list =
        List.of(rule("match", "a.*.*", "name", "first"), rule("match", "a.b.c", "name", "literal"));
    assertThat(read(rule("mappings", list)).map("a.b.c", MatchType.GAUGE).name())
        .isEqualTo("first");
    Mappings unordered =
        read(rule("defaults", rule("glob_disable_ordering", "true"), "mappings", list));
    assertThat(unordered.map("a.b.c", MatchType.GAUGE).name()).isEqualTo("literal");
    assertThat(unordered.map("a.b.z", MatchType.GAUGE).name()).isEqualTo("first");
  }

  @Test
  void aGlobAfterALongerOneWithItsPrefixStillMatches() {
    // statsd_exporter's FSM never matches the second rule here (see the corpus)
    Mappings m = rules(rule("match", "a.b.c", "name", "abc"), rule("match", "a.b", "name", "ab"));
    assertThat(m.map("a.b", MatchType.COUNTER).name()).isEqualTo("ab");
  }

  @Test
  void globsWinOverRegexRulesAndRegexRulesAreTriedInOrderUnanchored() {
    Mappings m =
        rules(
            rule("match", "x", "match_type", "regex", "name", "regex_one"),
            rule("match", "*.*", "name", "glob"),
            rule("match", ".", "match_type", "regex", "name", "regex_two"));
    assertThat(m.map("ab.xy", MatchType.COUNTER).name()).isEqualTo("glob");
    assertThat(m.map("axb", MatchType.COUNTER).name()).isEqualTo("regex_one");
    assertThat(m.map("abc", MatchType.COUNTER).name()).isEqualTo("regex_two");
  }

  @Test
  void aRuleOfOneTypeLetsOtherTypesFallThrough() {
    Mappings m =
        rules(
            rule("match", "t.*", "name", "c", "match_metric_type", "counter"),
            rule(
                "match",
                "t\\.(.*)",
                "match_type",
                "regex",
                "name",
                "o",
                "match_metric_type",
                "timer"));
    assertThat(m.map("t.x", MatchType.COUNTER).name()).isEqualTo("c");
    assertThat(m.map("t.x", MatchType.OBSERVER).name()).isEqualTo("o");
    assertThat(m.map("t.x", MatchType.GAUGE).matched()).isFalse();
    assertThat(m.map("t.x", MatchType.SET).matched()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "${1}_total|a_total",
        "$1_total|''",
        "$1_$2|''",
        "$1$2|''",
        "${1}${2}|ab",
        "$1-$2|a-b",
        "$1.$2|a.b",
        "$3|''",
        "$0|''",
        "$01|a"
      })
  void globTemplatesExpandAsStatsdExportersFormatter(String template, String expected) {
    assertThat(Templates.expandGlob(template, new String[] {"a", "b"}, 2)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "${1}_total|a_total",
        "$1_total|''",
        "$1_$2|b",
        "$1$2|ab",
        "${1}${2}|ab",
        "$0|a.b",
        "$01|''",
        "$$1|$1",
        "${1|${1",
        "$-|$-",
        "${n}|b"
      })
  void regexTemplatesExpandAsGoRegexpExpand(String template, String expected) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(a)\\.(?<n>b)").matcher("a.b");
    assertThat(m.find()).isTrue();
    assertThat(Templates.expandRegex(template, m)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "clean,clean",
    "0starts_with_digit,_0starts_with_digit",
    "with--doubledash,with_doubledash",
    "with.dot,with_dot",
    "with😱emoji,with_emoji",
    "with.*.multiple,with___multiple",
    "test.web-server.foo.bar,test_web_server_foo_bar",
    "a.-b,a__b"
  })
  void namesAreEscapedAsStatsdExporterEscapesThem(String name, String escaped) {
    assertThat(Mappings.escape(name)).isEqualTo(escaped);
  }

  @Test
  void theDefaultsApplyToRulesAndToNamesNoRuleMatches() {
    Mappings m =
        read(
            rule(
                "defaults",
                rule(
                    "observer_type",
                    "histogram",
                    "ttl",
                    "1m2s",
                    "histogram_options",
                    rule("buckets", List.of("0.2", "2")),
                    "quantiles",
                    List.of(rule("quantile", "0.9", "error", "0.01"))),
                "mappings",
                List.of(
                    rule(
                        "match",
                        "own.*",
                        "name",
                        "own",
                        "ttl",
                        "5s",
                        "buckets",
                        List.of("1", "10")),
                    rule("match", "zero.*", "name", "zero", "ttl", "0s"),
                    rule("match", "sum.*", "name", "s", "observer_type", "summary"))));
    MappingRule own = m.map("own.x", MatchType.OBSERVER).rule();
    assertThat(own.ttlMillis()).isEqualTo(5000);
    assertThat(own.buckets()).containsExactly(1, 10);
    assertThat(own.observer()).isEqualTo(ObserverKind.HISTOGRAM);
    // statsd_exporter: a rule's ttl 0 takes the defaults'
    assertThat(m.map("zero.x", MatchType.OBSERVER).rule().ttlMillis()).isEqualTo(62_000);
    MappingRule none = m.map("other", MatchType.OBSERVER).rule();
    assertThat(none.index()).isEqualTo(-1);
    assertThat(none.buckets()).containsExactly(0.2, 2);
    assertThat(none.quantiles()).containsExactly(0.9);
    assertThat(m.map("sum.x", MatchType.OBSERVER).rule().quantiles()).containsExactly(0.9);
  }

  @Test
  void withoutAnyTheQuantilesAreStatsdExportersAndTheRestIsTallys() {
    MappingRule r = rules(rule("match", "a", "name", "a")).map("a", MatchType.OBSERVER).rule();
    assertThat(r.quantiles()).containsExactly(0.5, 0.9, 0.99);
    assertThat(r.observer()).isNull();
    assertThat(r.buckets()).isNull();
    assertThat(r.ttlMillis()).isEqualTo(-1);
  }

  @Test
  void aLinesTagGivesWayToTheRulesLabelUnlessTheRuleHonorsLabels() {
    Mapped plain =
        rules(rule("match", "a", "name", "a", "labels", rule("code", "1")))
            .map("a", MatchType.COUNTER);
    assertThat(plain.labelsWith(List.of("code", "9", "env", "prod")))
        .containsExactly("env", "prod", "code", "1");
    Mapped honoring =
        rules(rule("match", "a", "name", "a", "labels", rule("code", "1"), "honor_labels", "true"))
            .map("a", MatchType.COUNTER);
    assertThat(honoring.labelsWith(List.of("code", "9"))).containsExactly("code", "9");
    assertThat(honoring.labelsWith(List.of())).containsExactly("code", "1");
  }

  @Test
  void everyProblemOfEveryRuleIsNamed() {
    List<String> problems =
        problems(
            rule(
                "defaults",
                rule("observer_type", "wrong", "colour", "red"),
                "mappings",
                List.of(
                    rule("match", "bad!!metric-line.*.*", "name", "foo"),
                    rule("match", "prefix_*.x", "name", "foo"),
                    rule("match", "test.*.*", "name", "0foo"),
                    rule("match", "test.*.*", "labels", rule("a", "b")),
                    rule("match", "*\\.foo", "match_type", "regex", "name", "x"),
                    rule("match", "a", "name", "a", "match_metric_type", "wrong", "action", "xyz"),
                    rule(
                        "match",
                        "a",
                        "name",
                        "a",
                        "observer_type",
                        "histogram",
                        "summary_options",
                        rule()),
                    rule(
                        "match",
                        "a",
                        "name",
                        "a",
                        "observer_type",
                        "summary",
                        "histogram_options",
                        rule()),
                    rule("match", "a", "name", "a", "scale", "1024", "timer_typo", "x"),
                    rule("match", "a", "name", "a", "ttl", "10"),
                    rule("match", "a", "name", "a", "buckets", List.of("2", "1")),
                    rule("match", "a", "name", "a", "labels", rule("__x", "1", "le-x", "2")))));
    assertThat(String.join("\n", problems))
        .contains("defaults: invalid observer_type 'wrong'")
        .contains("unknown key 'colour'")
        .contains("mappings[0] (match \"bad!!metric-line.*.*\"): invalid match")
        .contains("mappings[1] (match \"prefix_*.x\"): invalid match")
        .contains("mappings[2] (match \"test.*.*\"): name '0foo' is not a metric name")
        .contains("mappings[3] (match \"test.*.*\"): name is missing")
        .contains("mappings[4] (match \"*\\.foo\"): invalid regex")
        .contains("mappings[5] (match \"a\"): invalid match_metric_type 'wrong'")
        .contains("mappings[5] (match \"a\"): invalid action 'xyz'")
        .contains("mappings[6] (match \"a\"): cannot use histogram observer and summary options")
        .contains("mappings[7] (match \"a\"): cannot use summary observer and histogram options")
        .contains("unknown key 'scale' (statsd_exporter's scale is not supported)")
        .contains("unknown key 'timer_typo'")
        .contains("mappings[9] (match \"a\"): ttl: '10' is not a duration")
        .contains("mappings[10] (match \"a\"): buckets: bounds must increase")
        .contains("invalid label name: __x")
        .contains("invalid label name: le-x");
  }

  @Test
  void goRegexesAreReadAsGoWritesThem() {
    Mappings m =
        rules(
            rule(
                "match", "^(?P<host_name>[[:alpha:]]+)-(?P<n>[[:digit:]]+)\\.cpu$",
                "match_type", "regex",
                "name", "cpu",
                "labels", rule("host", "${host_name}", "n", "$n")));
    Mapped hit = m.map("web-12.cpu", MatchType.GAUGE);
    assertThat(hit.labels()).containsExactly("host", "web", "n", "12");
    assertThat(m.map("web-x.cpu", MatchType.GAUGE).matched()).isFalse();
    assertThat(
            problems(
                rule(
                    "mappings",
                    List.of(rule("match", "(?U)a+", "match_type", "regex", "name", "a")))))
        .singleElement()
        .satisfies(p -> assertThat(p).contains("U flag"));
  }

  @Test
  void quantilesMayBeZeroOrOneAndAreTakenOnce() {
    Mappings m =
        rules(
            rule(
                "match", "a",
                "name", "a",
                "quantiles",
                    List.of(
                        rule("quantile", "1"),
                        rule("quantile", "0.5"),
                        rule("quantile", "0"),
                        rule("quantile", "0.5"))));
    assertThat(m.map("a", MatchType.OBSERVER).rule().quantiles()).containsExactly(0, 0.5, 1);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "30s,30000", "1m2s,62000", "1.5h,5400000", "500ms,500", "1500us,1", "500us,1"})
  void durationsAreGoDurations(String text, long millis) {
    List<String> problems = new ArrayList<>();
    assertThat(Mappings.durationMillis(text, "ttl", problems)).isEqualTo(millis);
    assertThat(problems).isEmpty();
  }

  @Test
  void aCacheGivesTheSameAnswersAndStartsAgainWhenFull() {
    Mappings m =
        rules(rule("match", "aa.bb.*.*", "name", "aa_bb_${1}_total", "labels", rule("app", "$2")));
    MappingCache cache = new MappingCache(m, 2);
    for (int round = 0; round < 3; round++) {
      for (String n : List.of("aa.bb.aa.myapp", "aa.bb.cc.myapp", "aa.bb.dd.other")) {
        assertThat(cache.map(n, MatchType.COUNTER)).isEqualTo(m.map(n, MatchType.COUNTER));
      }
    }
    assertThat(cache.map("aa.bb.cc.myapp", MatchType.COUNTER).name()).isEqualTo("aa_bb_cc_total");
  }
}
