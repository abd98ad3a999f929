package dev.tally.verticles.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromRuleFilesTest {
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void groupsOfAlertingAndRecordingRules() {
    Object doc =
        map(
            "groups",
            List.of(
                map(
                    "name", "g",
                    "interval", "30s",
                    "rules",
                        List.of(
                            map("record", "job:x:rate5m", "expr", "sum(rate(x[5m]))"),
                            map(
                                "alert", "High",
                                "expr", "rate(x[5m]) > 1",
                                "for", "1m",
                                "labels", map("severity", "critical"),
                                "annotations", map("summary", "{{ $value }}")),
                            map("alert", "High", "expr", "rate(x[5m]) > 10")))));
    List<String> problems = new ArrayList<>();
    PromRuleFiles.Parsed p = PromRuleFiles.read(Map.of("r.yml", doc), problems);
    assertThat(problems).isEmpty();
    PromRuleFiles.RuleGroup g = p.groups().get(0);
    assertThat(g.intervalMillis()).isEqualTo(30_000);
    assertThat(g.rules())
        .extracting(PromRuleFiles.GroupRule::record)
        .containsExactly("job:x:rate5m", null, null);
    assertThat(p.alerts()).extracting(Rule::name).containsExactly("High", "High #2");
    Rule high = p.alerts().get(0);
    assertThat(high.forMillis()).isEqualTo(60_000);
    assertThat(high.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(high.labels()).containsEntry("alertname", "High");
    assertThat(p.alerts().get(1).labels()).containsEntry("alertname", "High");
    assertThat(high.breached(0)).isTrue(); // the expression filters
  }

  @Test
  void everyProblemIsNamed() {
    Object doc =
        map(
            "groups",
            List.of(
                map(
                    "name",
                    "g",
                    "rules",
                    List.of(
                        map("expr", "x"),
                        map("record", "a", "alert", "b", "expr", "x"),
                        map("record", "r", "expr", "x", "for", "1m"),
                        map("alert", "a", "expr", "rate(x)"),
                        map("alert", "a", "expr", "x", "keep_firing_for", "1m"),
                        map("alert", "a", "expr", "x", "labels", map("bad-name", "v")),
                        map("alert", "a"),
                        map("alert", "a", "expr", "x", "severity", "high"))),
                map("name", "g", "rules", List.of()),
                map("rules", List.of())));
    List<String> problems = new ArrayList<>();
    PromRuleFiles.read(Map.of("r.yml", doc), problems);
    assertThat(problems)
        .containsExactly(
            "r.yml: group 1 \"g\", rule 1: one of 'record' or 'alert' must be set",
            "r.yml: group 1 \"g\", rule 2: only one of 'record' and 'alert' must be set",
            "r.yml: group 1 \"g\", rule 3 (record r): invalid field 'for' in recording rule",
            "r.yml: group 1 \"g\", rule 4 (alert a): expr: 1:1: parse error: expected type range"
                + " vector in call to function \"rate\", got instant vector",
            "r.yml: group 1 \"g\", rule 5: keep_firing_for is not supported by Tally",
            "r.yml: group 1 \"g\", rule 6 (alert a): invalid label name: bad-name",
            "r.yml: group 1 \"g\", rule 7 (alert a): field 'expr' must be set in rule",
            "r.yml: group 1 \"g\", rule 8: field severity not found in the rule format",
            "r.yml: group 2: groupname: \"g\" is repeated",
            "r.yml: group 3: Groupname must not be empty");
  }
}
