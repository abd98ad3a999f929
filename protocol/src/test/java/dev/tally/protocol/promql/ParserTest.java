package dev.tally.protocol.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParserTest {
  @Test
  void selectorsWithEveryMatcherRangeAndOffset() throws ParseException {
    Expr e =
        Parser.parse(
            "http_requests_total{code=~\"5..\", method!=\"GET\", route!~'/a.*', job=`x\\n`}[1h30m]"
                + " offset 5m");
    Expr.Range r = (Expr.Range) e;
    assertThat(r.rangeMillis()).isEqualTo(5_400_000);
    assertThat(r.selector().offsetMillis()).isEqualTo(300_000);
    assertThat(r.selector().name()).isEqualTo("http_requests_total");
    assertThat(r.selector().matchers())
        .extracting(Matcher::toString)
        .containsExactly(
            "__name__=\"http_requests_total\"",
            "code=~\"5..\"",
            "method!=\"GET\"",
            "route!~\"/a.*\"",
            "job=\"x\\\\n\"");
    Expr.Selector s = (Expr.Selector) Parser.parse("{__name__=\"up\", job=\"a\"}");
    assertThat(s.name()).isEqualTo("up");
  }

  @Test
  void precedenceAndAssociativity() throws ParseException {
    // -2^2 is -(2^2); 2^3^2 is 2^(3^2); * before +; and before or
    Expr.Negation neg = (Expr.Negation) Parser.parse("-2^2");
    assertThat(((Expr.Binary) neg.expr()).op()).isEqualTo("^");
    Expr.Binary pow = (Expr.Binary) Parser.parse("2^3^2");
    assertThat(((Expr.Binary) pow.rhs()).op()).isEqualTo("^");
    Expr.Binary sum = (Expr.Binary) Parser.parse("1 + 2 * 3 - 4");
    assertThat(sum.op()).isEqualTo("-");
    assertThat(((Expr.Binary) sum.lhs()).op()).isEqualTo("+");
    Expr.Binary or = (Expr.Binary) Parser.parse("a and b or c unless d");
    assertThat(or.op()).isEqualTo("or");
    assertThat(((Expr.Binary) or.rhs()).op()).isEqualTo("unless");
    Expr.Binary cmp = (Expr.Binary) Parser.parse("a + 1 > bool b * 2");
    assertThat(cmp.op()).isEqualTo(">");
    assertThat(cmp.bool()).isTrue();
  }

  @Test
  void vectorMatchingModifiers() throws ParseException {
    Expr.Binary b = (Expr.Binary) Parser.parse("a / on (job, instance) group_left (version) b");
    assertThat(b.matching())
        .isEqualTo(
            new Expr.Matching(
                Expr.Cardinality.MANY_TO_ONE,
                true,
                List.of("job", "instance"),
                List.of("version")));
    Expr.Binary i = (Expr.Binary) Parser.parse("a - ignoring(code) group_right b");
    assertThat(i.matching().card()).isEqualTo(Expr.Cardinality.ONE_TO_MANY);
    assertThat(i.matching().on()).isFalse();
    Expr.Binary set = (Expr.Binary) Parser.parse("a and on(x) b");
    assertThat(set.matching().card()).isEqualTo(Expr.Cardinality.MANY_TO_MANY);
    assertThat(((Expr.Binary) Parser.parse("a * 2")).matching()).isNull();
  }

  @Test
  void aggregationsWithGroupingBeforeOrAfter() throws ParseException {
    Expr.Aggregate a = (Expr.Aggregate) Parser.parse("sum by (route) (rate(x[1m]))");
    assertThat(a.grouping()).containsExactly("route");
    Expr.Aggregate b = (Expr.Aggregate) Parser.parse("avg(x) without (instance, job)");
    assertThat(b.without()).isTrue();
    assertThat(b.grouping()).containsExactly("instance", "job");
    Expr.Aggregate t = (Expr.Aggregate) Parser.parse("topk(3, x)");
    assertThat(t.param()).isEqualTo(new Expr.Number(3));
    Expr.Aggregate q = (Expr.Aggregate) Parser.parse("quantile(0.9, x) by (a)");
    assertThat(q.grouping()).containsExactly("a");
    // an aggregation's name is a metric name elsewhere
    assertThat(((Expr.Selector) Parser.parse("sum")).name()).isEqualTo("sum");
  }

  @Test
  void functionsNumbersAndStrings() throws ParseException {
    Expr.Call c =
        (Expr.Call) Parser.parse("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))");
    assertThat(c.function()).isEqualTo(Function.HISTOGRAM_QUANTILE);
    assertThat(Parser.parse("round(x)")).isInstanceOf(Expr.Call.class);
    assertThat(Parser.parse("round(x, 0.5)")).isInstanceOf(Expr.Call.class);
    assertThat(((Expr.Number) Parser.parse("0x1F")).value()).isEqualTo(31);
    assertThat(((Expr.Number) Parser.parse("-Inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(((Expr.Number) Parser.parse(".5e1")).value()).isEqualTo(5);
    assertThat(((Expr.Number) Parser.parse("NaN")).value()).isNaN();
    assertThat(((Expr.Text) Parser.parse("\"a\\tb\\u00e9\"")).value()).isEqualTo("a\tb\u00e9");
    assertThat(Parser.parse("1 + 1 # a comment").type()).isEqualTo(Expr.Type.SCALAR);
    assertThat(Parser.parse("time() - x").type()).isEqualTo(Expr.Type.INSTANT_VECTOR);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|1:1: parse error: no expression found in input",
        "rate(x)|expected type range vector in call to function \"rate\", got instant vector",
        "foo(x)|unknown or unsupported function \"foo\"",
        "label_replace(x, 'a', 'b', 'c', 'd')|unknown or unsupported function \"label_replace\"",
        "{a=~\".*\"}|vector selector must contain at least one non-empty matcher",
        "1 > 2|comparisons between scalars must use BOOL modifier",
        "1 and x|set operator \"and\" not allowed in binary scalar expression",
        "x[5m:1m]|subqueries are not supported by Tally",
        "x @ 100|the @ modifier is not supported by Tally",
        "count_values('v', x)|the aggregation count_values is not supported by Tally",
        "sum(x[5m])|expected type instant vector in aggregation expression, got range vector",
        "x + bool y|bool modifier can only be used on comparison operators",
        "x{a=\"b\"|unexpected end of input in label matching",
        "rate(x[5m]) offset 1m|offset modifier must be preceded by an instant vector selector",
        "x[5x]|bad range duration",
        "(x|unexpected end of input, expected \")\"",
        "x{a=~\"(\"}|invalid regular expression",
        "x y|1:3: parse error: unexpected \"y\"",
        "x{a=\"\\01\"}|unknown escape sequence",
        "x{a=\"\\x-1\"}|bad escape sequence",
        "x{a=\"\\U7fffffff\"}|invalid Unicode code point",
      })
  void badQueriesSayWhatIsWrong(String query, String message) {
    assertThatThrownBy(() -> Parser.parse(query))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining(message);
  }

  @Test
  void deepNestingIsAParseErrorNotAStackOverflow() {
    assertThatThrownBy(() -> Parser.parse("-".repeat(10_000) + "x"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("nested deeper than");
    assertThatThrownBy(() -> Parser.parse("1" + "^1".repeat(5_000)))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("nested deeper than");
  }

  @Test
  void matchersAreEqualByWhatTheyMatch() throws ParseException {
    // a reload compares rule groups, whose expressions hold matchers
    assertThat(Parser.parse("x{a=~\"b.*\"}")).isEqualTo(Parser.parse("x{a=~\"b.*\"}"));
    assertThat(Parser.parse("x{a=~\"b.*\"}")).isNotEqualTo(Parser.parse("x{a=~\"c.*\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"5m", "1h30m", "2d", "1w", "1y", "100ms", "1h1m1s1ms"})
  void durations(String d) {
    assertThat(PromDurations.parseMillis(d)).isPositive();
  }

  @Test
  void durationValues() {
    assertThat(PromDurations.parseMillis("1h30m")).isEqualTo(5_400_000);
    assertThat(PromDurations.parseMillis("1d")).isEqualTo(86_400_000);
    assertThat(PromDurations.parseMillis("30m1h")).isEqualTo(-1);
    assertThat(PromDurations.parseMillis("5")).isEqualTo(-1);
  }
}
