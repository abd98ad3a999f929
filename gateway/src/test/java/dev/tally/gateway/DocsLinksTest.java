package dev.tally.gateway;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Every relative link of the user docs (README.md, loadtest/README.md and docs/) names a file or
 * folder of the repository, and none leaves it: users get the repository, nothing beside it.
 */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkNamesAFileOfTheRepository() throws Exception {
    List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    docs.add(ROOT.resolve("loadtest/README.md"));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
    }
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : docs) {
      String text = Files.readString(doc, StandardCharsets.UTF_8);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("http://")
            || target.startsWith("https://")
            || target.startsWith("mailto:")
            || target.startsWith("#")) {
          continue;
        }
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        Path resolved = doc.getParent().resolve(file).normalize();
        checked++;
        if (!resolved.startsWith(ROOT)) {
          broken.add(ROOT.relativize(doc) + ": " + target + " leaves the repository");
        } else if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(doc) + ": " + target + " does not exist");
        }
      }
      assertThat(text).as(doc + " names the development workspace").doesNotContain("../shared");
    }
    assertThat(checked).as("relative links found").isPositive();
    assertThat(broken).isEmpty();
  }
}
