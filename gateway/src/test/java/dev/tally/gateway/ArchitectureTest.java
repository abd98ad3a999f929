package dev.tally.gateway;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main code of the three modules: no cycles, and the one drawn in {@code
 * docs/ARCHITECTURE.md} ("Packages") is the one the classes have.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.tally.";

  /** One line of the drawing: {@code protocol.statsd stage → protocol.model, ...}. */
  private static final Pattern LINE =
      Pattern.compile("^([a-z.]+)\\s{2,}.*?→\\s*(.*)$", Pattern.MULTILINE);

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tally.protocol", "dev.tally.verticles", "dev.tally.gateway");
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("dev.tally.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theDrawingIsTheGraph() throws IOException {
    Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
    String text = Files.readString(doc);
    int from = text.indexOf("```packages");
    assertThat(from).as("a ```packages block in %s", doc).isGreaterThanOrEqualTo(0);
    String block = text.substring(from, text.indexOf("```", from + 3));
    Map<String, Set<String>> drawn = new TreeMap<>();
    Matcher m = LINE.matcher(block);
    while (m.find()) {
      Set<String> targets = new TreeSet<>();
      for (String t : m.group(2).split(",")) {
        if (!t.isBlank() && !t.strip().equals("-")) {
          targets.add(t.strip());
        }
      }
      drawn.put(m.group(1), targets);
    }
    assertThat(lines(drawn)).containsExactlyInAnyOrderElementsOf(lines(graph()));
  }

  /** One {@code package → a, b} line per package: a difference names the package. */
  private static List<String> lines(Map<String, Set<String>> graph) {
    List<String> lines = new ArrayList<>();
    graph.forEach((from, to) -> lines.add(from + " → " + String.join(", ", to)));
    return lines;
  }

  /** Each package (without {@code dev.tally.}) and the other packages its classes use. */
  static Map<String, Set<String>> graph() {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass c : classes) {
      String from = c.getPackageName().substring(ROOT.length());
      Set<String> targets = graph.computeIfAbsent(from, k -> new TreeSet<>());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        String to = d.getTargetClass().getPackageName();
        if (to.startsWith(ROOT) && !to.equals(c.getPackageName())) {
          targets.add(to.substring(ROOT.length()));
        }
      }
    }
    return graph;
  }
}
