package dev.tally.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.aggregate.AggregatorOptions;
import dev.tally.verticles.export.ExportOptions;
import dev.tally.verticles.export.ExportTarget;
import dev.tally.verticles.live.LiveOptions;
import dev.tally.verticles.trace.TraceStoreOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The user reference stays in step with the option specs. */
class ReferenceTest {
  /** The distribution's commented configuration, generated from the specs. */
  static final Path SHIPPED_CONFIG = Path.of("src", "dist", "conf", "tally.yaml");

  @Test
  void theShippedConfigurationIsEveryOptionAtItsDefault() throws Exception {
    String generated = ConfigLoader.commentedConfig();
    assertGenerated(SHIPPED_CONFIG, generated);
    for (OptionSpec spec : Specs.ALL) {
      if (!spec.name.equals(Specs.CONFIG)) {
        assertThat(generated).contains("\n#" + spec.name + ":");
      }
    }
  }

  @Test
  void theOptionsReferenceIsGeneratedFromTheSpecs() throws Exception {
    String generated = ConfigLoader.optionsReference();
    assertGenerated(Path.of("..", "docs", "OPTIONS.md"), generated);
    for (OptionSpec spec : Specs.ALL) {
      assertThat(generated).contains("| `--" + spec.name + "` |");
    }
  }

  /** {@code file} holds {@code generated}; written first with {@code -Dregenerate=true}. */
  private static void assertGenerated(Path file, String generated) throws Exception {
    if (Boolean.getBoolean("regenerate")) {
      Files.writeString(file, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(file, StandardCharsets.UTF_8))
        .as(
            file
                + " differs from the options: regenerate it with"
                + " mvn -pl gateway test -Dtest=ReferenceTest -Dregenerate=true")
        .isEqualTo(generated);
  }

  @Test
  void theShippedConfigurationIsValidAsItIs() {
    // all commented out: an empty document, which start-up and check-config take
    assertThat(
            ConfigCheck.run(
                java.util.List.of(SHIPPED_CONFIG.toString()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream())))
        .isZero();
  }

  @Test
  void theOptionsReferencesExampleFileIsValid() throws Exception {
    String reference = ConfigLoader.optionsReference();
    int from = reference.indexOf("```yaml\n") + "```yaml\n".length();
    Path example = Files.createTempFile("example", ".yaml");
    try {
      Files.writeString(example, reference.substring(from, reference.indexOf("```", from)));
      java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
      assertThat(
              ConfigCheck.run(
                  java.util.List.of(example.toString()),
                  new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                  new java.io.PrintStream(err, true, StandardCharsets.UTF_8)))
          .as(err.toString(StandardCharsets.UTF_8))
          .isZero();
    } finally {
      Files.delete(example);
    }
  }

  @Test
  void theReadmeTableNamesEveryOption() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    for (OptionSpec spec : Specs.ALL) {
      assertThat(readme)
          .as("README.md's options table")
          .containsPattern("\\n\\|[^\\n]*`--" + spec.name + "[ `]");
    }
  }

  @Test
  void everyDefaultParsesToItsTypesClassAndReachesItsComponent() throws Exception {
    for (OptionSpec spec : Specs.ALL) {
      if (spec.defaultValue != null) {
        assertThat(spec.type.parse(spec.defaultValue))
            .as(spec.name + "'s default")
            .isInstanceOf(spec.type.javaType);
      }
    }
    // every key is read through its type's class when the options are made (a wrong one throws),
    // and a default written once, in its component, reaches that component
    TallyOptions options = ConfigLoader.load(new String[0], java.util.Map.of()).options;
    assertThat(options.tickMillis()).isEqualTo(AggregatorOptions.DEFAULT_TICK_MILLIS);
    assertThat(options.aggregatorOptions().getSeriesTtlMillis())
        .isEqualTo(AggregatorOptions.DEFAULT_SERIES_TTL_MILLIS);
    assertThat(options.liveOptions().getSlowCloseMillis())
        .isEqualTo(LiveOptions.DEFAULT_SLOW_CLOSE_MILLIS);
    assertThat(options.liveOptions().getClientMaxBytes())
        .isEqualTo(LiveOptions.DEFAULT_CLIENT_MAX_BYTES);
    assertThat(options.traceStoreOptions().getMaxBytes())
        .isEqualTo(TraceStoreOptions.DEFAULT_MAX_BYTES);
    assertThat(options.traceStoreOptions().getSampleRatio())
        .isEqualTo(TraceStoreOptions.DEFAULT_SAMPLE_RATIO);
    assertThat(options.parserOptions().getMaxLineLength())
        .isEqualTo(StatsdParserOptions.DEFAULT_MAX_LINE_LENGTH);
    assertThat(options.labelLimits().maxLabels()).isEqualTo(LabelLimits.DEFAULT_MAX_LABELS);
    assertThat(options.exportOptions().intervalMillis())
        .isEqualTo(ExportOptions.DEFAULT_INTERVAL_MILLIS);
    ExportTarget target =
        ConfigLoader.load(
                new String[] {"--export-remote-write", "http://127.0.0.1:9/w"}, java.util.Map.of())
            .options
            .exportOptions()
            .targets()
            .get(0);
    assertThat(target.queueMaxBytes()).isEqualTo(ExportTarget.DEFAULT_QUEUE_MAX_BYTES);
    assertThat(target.shards()).isEqualTo(ExportTarget.DEFAULT_SHARDS);
  }
}
