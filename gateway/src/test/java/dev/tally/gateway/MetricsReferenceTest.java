package dev.tally.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.verticles.export.ExportStats;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PacketDropReason;
import dev.tally.verticles.trace.TraceStoreStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/METRICS.md names every self-metric the gateway's sources write and every value of every
 * {@code reason} label, each in a row of its own. (The families of a running gateway's page are
 * checked against the generated table by {@code VertxMetersIT}; the cluster's, bound only when
 * clustered, here by their names in the sources of the gateway and the verticles.)
 */
class MetricsReferenceTest {
  /** The sources of the modules that bind meters: this one's and the verticles'. */
  private static final List<Path> SOURCES =
      List.of(Path.of("src", "main", "java"), Path.of("..", "verticles", "src", "main", "java"));

  /** A whole name in quotes; prefixes of names made by concatenation end with {@code _}. */
  private static final Pattern NAME = Pattern.compile("\"(tally_[a-z_]*[a-z])\"");

  /** Not metrics: the dashboard's session cookie. */
  private static final java.util.Set<String> NOT_METRICS = java.util.Set.of("tally_session");

  @Test
  void everyMetricNameInTheSourcesHasARow() throws Exception {
    String doc = metricsDoc();
    List<String> names = new ArrayList<>();
    for (Path sources : SOURCES) {
      try (Stream<Path> files = Files.walk(sources)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          Matcher m = NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
          while (m.find()) {
            if (!NOT_METRICS.contains(m.group(1))) {
              names.add(m.group(1));
            }
          }
        }
      }
    }
    assertThat(names).as("tally_ names in the sources").isNotEmpty();
    for (String name : names) {
      assertThat(doc).as("docs/METRICS.md row of " + name).contains("| `" + name + "` |");
    }
  }

  @Test
  void everyReasonHasARow() throws Exception {
    String doc = metricsDoc();
    List<String> labels = new ArrayList<>();
    Stream.of(RejectReason.values()).map(RejectReason::label).forEach(labels::add);
    Stream.of(PacketDropReason.values()).map(PacketDropReason::label).forEach(labels::add);
    Stream.of(DropReason.values()).map(DropReason::label).forEach(labels::add);
    Stream.of(OtlpRejectReason.values()).map(OtlpRejectReason::label).forEach(labels::add);
    Stream.of(OtlpRequestError.values()).map(OtlpRequestError::label).forEach(labels::add);
    Stream.of(ExportStats.Dropped.values()).map(ExportStats.Dropped::label).forEach(labels::add);
    Stream.of(ExportStats.Failure.values()).map(ExportStats.Failure::label).forEach(labels::add);
    for (String label : labels) {
      assertThat(doc).as("docs/METRICS.md row of reason " + label).contains("| `" + label + "` |");
    }
    for (TraceStoreStats.KeepReason r : TraceStoreStats.KeepReason.values()) {
      assertThat(doc).contains("`" + r.label() + "`");
    }
  }

  private static String metricsDoc() throws Exception {
    return Files.readString(Path.of("..", "docs", "METRICS.md"), StandardCharsets.UTF_8);
  }
}
