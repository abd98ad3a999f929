package dev.tally.protocol.statsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsdParserOptionsTest {
  @Test
  void defaultIsTheDocumentedConstant() {
    assertThat(new StatsdParserOptions().getMaxLineLength())
        .isEqualTo(StatsdParserOptions.DEFAULT_MAX_LINE_LENGTH);
  }

  @Test
  void copyIsIndependentOfTheOriginal() {
    StatsdParserOptions original = new StatsdParserOptions().setMaxLineLength(100);
    StatsdParserOptions copy = new StatsdParserOptions(original);
    original.setMaxLineLength(200);
    assertThat(copy.getMaxLineLength()).isEqualTo(100);
  }

  @Test
  void parserCopiesItsOptions() {
    StatsdParserOptions options = new StatsdParserOptions().setMaxLineLength(16);
    StatsdLineParser parser = new StatsdLineParser(options);
    options.setMaxLineLength(1000);
    byte[] line =
        "a.name.longer.than.sixteen:1|c".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    parser.parse(line, 0, line.length, s -> {});
    assertThat(parser.stats().rejected(dev.tally.protocol.model.RejectReason.LINE_TOO_LONG))
        .isEqualTo(1);
  }

  @Test
  void lineLengthOutsideItsRangeIsRefused() {
    assertThatThrownBy(() -> new StatsdParserOptions().setMaxLineLength(15))
        .hasMessageContaining("maxLineLength");
    assertThatThrownBy(() -> new StatsdParserOptions().setMaxLineLength(70_000))
        .hasMessageContaining("maxLineLength");
  }
}
