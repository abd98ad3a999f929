package dev.tally.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static TallyOptions load(Map<String, String> env, String... args) throws ConfigException {
    return ConfigLoader.load(args, env).options;
  }

  @Test
  void defaultsFollowTheContract() throws Exception {
    TallyOptions o = load(Map.of());
    assertThat(o.httpPort()).isEqualTo(8080);
    assertThat(o.statsdPort()).isEqualTo(8125);
    assertThat(o.otlpGrpcPort()).isEqualTo(4317);
    assertThat(o.otlpHttpPort()).isEqualTo(4318);
    assertThat(o.bind()).isEqualTo("0.0.0.0");
    assertThat(o.tickMillis()).isEqualTo(1000);
    assertThat(o.shards()).isEqualTo(o.eventLoops());
    assertThat(o.aggregatorOptions().getWindowMillis()).isEqualTo(60_000);
    assertThat(o.aggregatorOptions().getSeriesTtlMillis()).isEqualTo(600_000);
    assertThat(o.aggregatorOptions().getHistogramDigits()).isEqualTo(2);
    assertThat(o.maxRequestSize()).isEqualTo(8 << 20);
    assertThat(o.otlpResourceLabels()).isEmpty();
  }

  @Test
  void ruleFilesAreFilesOrGlobsAndTheirProblemsAreNamed() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(
        rules.resolve("a.yml"),
        "groups:\n  - name: a\n    rules:\n      - record: job:x:sum\n        expr: sum(x)\n");
    Files.writeString(
        rules.resolve("b.yml"),
        "groups:\n  - name: b\n    interval: 1m\n    rules:\n"
            + "      - alert: High\n        expr: x > 1\n        for: 5m\n");
    Files.writeString(rules.resolve("notes.txt"), "not a rule file");
    TallyOptions o = load(Map.of(), "--rule-files", rules + "/*.yml");
    assertThat(o.ruleFiles()).containsExactly(rules + "/a.yml", rules + "/b.yml");
    assertThat(o.ruleGroups()).extracting(g -> g.name()).containsExactly("a", "b");
    assertThat(o.rules()).extracting(r -> r.name()).containsExactly("High");
    assertThat(load(Map.of(), "--rule-files", rules + "/none-*.yml").ruleGroups()).isEmpty();
    Files.writeString(
        rules.resolve("c.yml"),
        "groups:\n  - name: a\n    rules:\n      - alert: Bad\n        expr: rate(x)\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of(), "--rule-files", rules + "/*.yml," + dir + "/*/x.yml"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("c.yml: group 1: groupname: \"a\" is repeated"))
        .anySatisfy(p -> assertThat(p).contains("(alert Bad): expr: 1:1: parse error"))
        .anySatisfy(p -> assertThat(p).contains("a glob only in the file name"));
  }

  @Test
  void aMappingFileIsReadAsStatsdExporterReadsItAndItsProblemsAreNamed() throws Exception {
    Path file = dir.resolve("mapping.yml");
    Files.writeString(
        file,
        "mappings:\n- match: api.*.*\n  name: api_requests\n  labels:\n"
            + "    route: $1\n    code: 200\n    canary: yes\n");
    TallyOptions o = load(Map.of(), "--statsd-mapping-config", file.toString());
    assertThat(o.statsdMappings().rules()).hasSize(1);
    // scalars as written: statsd_exporter's YAML reads 200 and yes as text
    assertThat(o.statsdMappings().rules().get(0).labelTemplates())
        .containsExactly("route", "$1", "code", "200", "canary", "yes");
    // empty values are nothing, as go-yaml reads them; merge keys work
    Files.writeString(
        file,
        "defaults:\nmappings:\n- match: a.*\n  name: a\n  labels:\n  ttl:\n"
            + "- &base\n  match: b.*\n  name: b\n  labels: {k: $1}\n"
            + "- <<: *base\n  match: c.*\n");
    assertThat(load(Map.of(), "--statsd-mapping-config", file.toString()).statsdMappings().rules())
        .extracting(r -> r.nameTemplate() + r.labelTemplates())
        .containsExactly("a[]", "b[k, $1]", "b[k, $1]");
    Files.writeString(
        file,
        "mappings:\n- match: a.*\n  name: 0bad\n- match: b\n  name: b\n  colour: red\n"
            + "- match: c\n  name: c\n  name: d\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of(), "--statsd-mapping-config", file.toString()));
    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p).contains("statsd-mapping-config: " + file).contains("name"));
    Files.writeString(
        file, "mappings:\n- match: a.*\n  name: 0bad\n- match: b\n  name: b\n  colour: red\n");
    e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of(), "--statsd-mapping-config", file.toString()));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("mappings[0] (match \"a.*\"): name '0bad'"))
        .anySatisfy(p -> assertThat(p).contains("mappings[1] (match \"b\"): unknown key 'colour'"));
  }

  @Test
  void resourceLabelsComeAsACommaListOrAYamlList() throws Exception {
    assertThat(
            load(Map.of(), "--otlp-resource-labels", "cloud.region, k8s.pod.name")
                .otlpResourceLabels())
        .containsExactlyInAnyOrder("cloud.region", "k8s.pod.name");
    Path file = dir.resolve("tally.yaml");
    Files.writeString(file, "otlp-resource-labels: [cloud.region, host.name]\n");
    assertThat(load(Map.of(), "--config", file.toString()).otlpResourceLabels())
        .containsExactlyInAnyOrder("cloud.region", "host.name");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of(), "--otlp-resource-labels", "a,,b", "--max-request-size", "10"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("otlp-resource-labels: 'a,,b'"))
        .anySatisfy(p -> assertThat(p).startsWith("max-request-size: '10'"));
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path file = dir.resolve("tally.yaml");
    Files.writeString(file, "http-port: 1001\nstatsd-port: 1002\ntick: 2s\nshards: 3\n");
    TallyOptions o =
        load(
            Map.of(
                "TALLY_CONFIG",
                file.toString(),
                "TALLY_HTTP_PORT",
                "2001",
                "TALLY_STATSD_PORT",
                "2002"),
            "--http-port",
            "3001");
    assertThat(o.httpPort()).isEqualTo(3001);
    assertThat(o.statsdPort()).isEqualTo(2002);
    assertThat(o.tickMillis()).isEqualTo(2000);
    assertThat(o.shards()).isEqualTo(3);
    assertThat(o.otlpHttpPort()).isEqualTo(4318);
  }

  @Test
  void jsonFileAndEqualsFormAreAccepted() throws Exception {
    Path file = dir.resolve("tally.json");
    Files.writeString(
        file, "{\"statsd-port\": 0, \"series-ttl\": \"5m\", \"statsd-receive-buffer\": \"1MiB\"}");
    TallyOptions o = load(Map.of(), "--config=" + file, "--bind=127.0.0.1");
    assertThat(o.statsdPort()).isZero();
    assertThat(o.aggregatorOptions().getSeriesTtlMillis()).isEqualTo(300_000);
    assertThat(o.statsdReceiveBuffer()).isEqualTo(1 << 20);
    assertThat(o.bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void everyBadKeyIsReportedAtOnce() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "tick: soon\nno-such-key: 1\nwindow: [1, 2]\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of("TALLY_CONFIG", file.toString(), "TALLY_SHARDS", "0"),
                    "--http-port",
                    "99999",
                    "--bogus",
                    "1",
                    "--histogram-digits",
                    "7"));
    assertThat(e.problems()).hasSize(7);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("window: '[1, 2]'"));
    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("http-port: '99999' (from --http-port)")
                    .contains("0 to 65535"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("--bogus: unknown option"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("histogram-digits: '7'"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("shards: '0' (from TALLY_SHARDS)"));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("tick: 'soon' (from " + file).contains("500ms, 1s"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("no-such-key: unknown key in " + file));
  }

  @Test
  void numbersOutsideTheirBoundsAreRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(),
                    "--tick",
                    "5ms",
                    "--statsd-max-line-length",
                    "100000",
                    "--statsd-max-packet-size",
                    "70000"));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "tick: '5ms' (from --tick) is not allowed: expected between 10ms and 3600000ms",
            "statsd-max-line-length: '100000' (from --statsd-max-line-length) is not allowed: expected between 16 and 65535",
            "statsd-max-packet-size: '70000' (from --statsd-max-packet-size) is not allowed: expected between 64 and 65507");
  }

  @Test
  void clashingTcpPortsAreRefused() {
    assertThatThrownBy(() -> load(Map.of(), "--http-port", "4317"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("otlp-grpc-port: 4317 is already the http-port");
  }

  @Test
  void unreadableOrMalformedFileIsAProblem() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Files.writeString(file, "http-port: [unclosed\n");
    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .hasMessageContaining("is not valid YAML or JSON");
    assertThatThrownBy(() -> load(Map.of(), "--config", dir.resolve("missing.yaml").toString()))
        .hasMessageContaining("cannot read");
  }

  @Test
  void unknownTallyEnvironmentVariableIsAWarningNotAnError() throws Exception {
    ConfigLoader.Result r = ConfigLoader.load(new String[0], Map.of("TALLY_HOME", "/opt/tally"));
    assertThat(r.warnings).singleElement().asString().contains("TALLY_HOME");
  }

  @Test
  void helpAndVersionAreActions() throws Exception {
    assertThat(ConfigLoader.load(new String[] {"--help"}, Map.of()).action)
        .isEqualTo(ConfigLoader.Action.HELP);
    assertThat(ConfigLoader.load(new String[] {"--version"}, Map.of()).action)
        .isEqualTo(ConfigLoader.Action.VERSION);
    assertThat(ConfigLoader.help()).contains("--statsd-port <port>", "(default 8125)", "TALLY_");
  }

  @Test
  void tokensComeFromTheFlagTheEnvironmentAndTheTokenFile() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# ingest\nfrom-file\n\n  second  \n");
    TallyOptions o = load(Map.of("TALLY_AUTH_TOKENS", "a,b"), "--auth-token-file", file.toString());
    assertThat(o.authTokens()).containsExactlyInAnyOrder("a", "b", "from-file", "second");
    assertThat(load(Map.of()).authTokens()).isEmpty();
  }

  @Test
  void securityProblemsAreNamedAndTokensNeverPrinted() throws Exception {
    Path empty = dir.resolve("empty-tokens");
    Files.writeString(empty, "# nothing\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(),
                    "--auth-tokens",
                    "good, bad token",
                    "--auth-token-file",
                    empty.toString(),
                    "--tls-cert",
                    dir.resolve("missing.pem").toString(),
                    "--tls-client-ca",
                    dir.resolve("ca.pem").toString(),
                    "--statsd-allow",
                    "10.0.0.0/33,example.com",
                    "--auth-metrics",
                    "yes"));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("auth-tokens: '<hidden>' (from --auth-tokens)"))
        .anySatisfy(p -> assertThat(p).contains("auth-token-file", "holds no token"))
        .anySatisfy(p -> assertThat(p).startsWith("tls-key: missing"))
        .anySatisfy(p -> assertThat(p).startsWith("tls-cert: cannot read"))
        .anySatisfy(p -> assertThat(p).startsWith("tls-client-ca: cannot read"))
        .anySatisfy(p -> assertThat(p).startsWith("statsd-allow: '10.0.0.0/33,example.com'"))
        .anySatisfy(p -> assertThat(p).startsWith("auth-metrics: 'yes'"))
        .noneSatisfy(p -> assertThat(p).contains("bad token"))
        .noneSatisfy(p -> assertThat(p).contains("good"));
  }

  @Test
  void networksParseAndMatch() throws Exception {
    TallyOptions o = load(Map.of(), "--statsd-allow", "127.0.0.1, 10.1.0.0/16,::1");
    java.util.List<Network> nets = o.statsdAllow();
    assertThat(nets).hasSize(3);
    assertThat(nets.get(0).contains(ip("127.0.0.1"))).isTrue();
    assertThat(nets.get(0).contains(ip("127.0.0.2"))).isFalse();
    assertThat(nets.get(1).contains(ip("10.1.255.7"))).isTrue();
    assertThat(nets.get(1).contains(ip("10.2.0.1"))).isFalse();
    assertThat(nets.get(2).contains(ip("::1"))).isTrue();
    assertThat(nets.get(2).contains(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void aNetworkIsALiteralNeverAName() {
    // hex words look like IPv6 literals to a simple pattern; they must not be looked up
    for (String name : new String[] {"cafe", "dead.beef", "localhost", "10.0.0.0/33"}) {
      assertThat(Network.parse(name)).as(name).isNull();
    }
    assertThat(Network.parse("fe80::1/64")).isNotNull();
  }

  @Test
  void aBooleanMayBeABareSwitchAndMembersAreHostPorts() throws Exception {
    TallyOptions o = load(Map.of(), "--cluster", "--cluster-members", "10.0.0.1:5701,node-b:5702");
    assertThat(o.cluster()).isTrue();
    assertThat(o.clusterMembers()).containsExactly("10.0.0.1:5701", "node-b:5702");
    assertThat(load(Map.of(), "--cluster", "false").cluster()).isFalse();
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of(), "--cluster-members", "10.0.0.1,b:99999"));
    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("cluster-members: '10.0.0.1,b:99999'");
  }

  private static byte[] ip(String literal) {
    return io.netty.util.NetUtil.createByteArrayFromIpAddressString(literal);
  }

  @Test
  void aReloadNamesTheKeysThatNeedARestart() throws Exception {
    TallyOptions before = load(Map.of(), "--max-series", "10", "--tick", "1s");
    TallyOptions after = load(Map.of(), "--max-series", "20", "--tick", "2s", "--http-port", "9");
    assertThat(before.restartOnlyChanges(after)).containsExactlyInAnyOrder("tick", "http-port");
  }

  @Test
  void aRulesFileIsReadAndEveryProblemOfEveryRuleNamed() throws Exception {
    Path good = dir.resolve("rules.yaml");
    Files.writeString(
        good,
        "- {name: a, match: 'x.*', value: rate, op: '>', threshold: 1}\n"
            + "- {name: b, match: y, tags: {env: prod}, value: p99, op: '<=', threshold: 0.5, for: 1m}\n");
    assertThat(load(Map.of(), "--rules", good.toString()).rules())
        .extracting(r -> r.name())
        .containsExactly("a", "b");

    Path bad = dir.resolve("bad-rules.yaml");
    Files.writeString(
        bad,
        "rules:\n"
            + "  - {name: a, match: x, value: rate, op: '>', threshold: 1, for: soon}\n"
            + "  - {name: a, match: y, value: nope, op: '>', threshold: 1, colour: red}\n"
            + "  - {name: c, match: z, value: rate, op: '>', threshold: 1}\n"
            + "  - {name: c, match: z, value: rate, op: '<', threshold: 1}\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of(), "--rules", bad.toString()));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).contains("rule 1", "('a')", "for:"))
        .anySatisfy(p -> assertThat(p).contains("rule 2", "value:"))
        .anySatisfy(p -> assertThat(p).contains("rule 2", "colour: unknown field"))
        .anySatisfy(p -> assertThat(p).contains("rule 4", "('c')", "used by an earlier rule"));
  }

  @Test
  void exportTargetsRepeatOnTheCommandLineAndTakeTheirKeysInTheFile() throws Exception {
    TallyOptions flags =
        load(
            Map.of(),
            "--export-remote-write",
            "http://127.0.0.1:9090/api/v1/write",
            "--export-remote-write=https://vm.example:8428/api/v1/write",
            "--export-interval",
            "30s",
            "--export-queue-max-bytes",
            "512MiB");
    assertThat(flags.exportOptions().targets())
        .extracting(t -> t.name())
        .containsExactly("127.0.0.1_9090_api_v1_write", "vm.example_8428_api_v1_write");
    assertThat(flags.exportOptions().intervalMillis()).isEqualTo(30_000);
    assertThat(flags.exportOptions().targets().get(1).queueMaxBytes()).isEqualTo(512L << 20);

    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Path file = dir.resolve("tally.yaml");
    Files.writeString(
        file,
        "export-remote-write:\n"
            + "  - http://127.0.0.1:9090/api/v1/write\n"
            + "  - url: https://mimir.example/api/v1/push\n"
            + "    name: mimir\n"
            + "    bearer-token: s3cret\n"
            + "    headers: {X-Scope-OrgID: team-a}\n"
            + "    match: [http_*, 'db_?_total']\n"
            + "    timeout: 5s\n"
            + "    tls-ca: "
            + ca
            + "\n"
            + "    shards: 4\n"
            + "    max-samples-per-send: 500\n");
    var targets = load(Map.of(), "--config", file.toString()).exportOptions().targets();
    assertThat(targets).hasSize(2);
    var mimir = targets.get(1);
    assertThat(mimir.name()).isEqualTo("mimir");
    assertThat(mimir.headers())
        .containsEntry("Authorization", "Bearer s3cret")
        .containsEntry("X-Scope-OrgID", "team-a");
    assertThat(mimir.match()).containsExactly("http_*", "db_?_total");
    assertThat(mimir.timeoutMillis()).isEqualTo(5000);
    assertThat(mimir.tlsCa()).isEqualTo(ca.toString());
    assertThat(mimir.shards()).isEqualTo(4);
    assertThat(mimir.maxSamplesPerSend()).isEqualTo(500);
  }

  @Test
  void everyBadKeyOfEveryExportTargetIsNamed() throws Exception {
    Path file = dir.resolve("tally.yaml");
    Files.writeString(
        file,
        "export-remote-write:\n"
            + "  - ftp://127.0.0.1/x\n"
            + "  - url: http://127.0.0.1:9090/api/v1/write\n"
            + "    shard: 4\n"
            + "    timeout: soon\n"
            + "    tls-cert: /no/such/file.pem\n"
            + "  - {url: http://a:1/w, name: same}\n"
            + "  - {url: http://b:1/w, name: same}\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of(), "--config", file.toString()));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("export-remote-write[1].url: 'ftp://127.0.0.1/x'"))
        .anySatisfy(p -> assertThat(p).startsWith("export-remote-write[2].shard: unknown key"))
        .anySatisfy(p -> assertThat(p).startsWith("export-remote-write[2].timeout:"))
        .anySatisfy(p -> assertThat(p).startsWith("export-remote-write[2].tls-cert: cannot read"))
        .anySatisfy(p -> assertThat(p).startsWith("export-remote-write[2]: tls-cert and tls-key"))
        .anySatisfy(
            p ->
                assertThat(p).startsWith("export-remote-write[4]: another target is named 'same'"));
  }

  @Test
  void otlpTargetsTakeTheirTransportFromTheSchemeAndChooseTheirSignals() throws Exception {
    Path file = dir.resolve("tally.yaml");
    Files.writeString(
        file,
        "export-otlp:\n"
            + "  - grpc://127.0.0.1:4317\n"
            + "  - url: https://collector.example/v1/traces\n"
            + "    signals: [traces, logs]\n"
            + "export-remote-write: [http://127.0.0.1:9090/api/v1/write]\n");
    var targets = load(Map.of(), "--config", file.toString()).exportOptions().targets();
    assertThat(targets)
        .extracting(t -> t.protocol() + " " + new java.util.TreeSet<>(t.signals()))
        .containsExactly(
            "REMOTE_WRITE [METRICS]",
            "OTLP_GRPC [METRICS, TRACES, LOGS]",
            "OTLP_HTTP [TRACES, LOGS]");

    Files.writeString(
        file,
        "export-otlp:\n"
            + "  - url: ftp://x/\n"
            + "  - url: http://x:4318\n"
            + "    signals: [metrics, events]\n"
            + "    compression: zstd\n"
            + "export-remote-write:\n"
            + "  - url: grpc://x:4317\n"
            + "  - url: http://y:9090/api/v1/write\n"
            + "    signals: [traces]\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of(), "--config", file.toString()));
    assertThat(e.problems())
        .anySatisfy(
            p -> assertThat(p).startsWith("export-otlp[1].url: 'ftp://x/' is not an http(s)://"))
        .anySatisfy(p -> assertThat(p).startsWith("export-otlp[2].signals: 'events' is not"))
        .anySatisfy(p -> assertThat(p).startsWith("export-otlp[2].compression: 'zstd' is not gzip"))
        .anySatisfy(p -> assertThat(p).startsWith("export-remote-write[1].url: 'grpc://x:4317'"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("export-remote-write[2].signals: 'traces' is not metrics"));
  }
}
