package dev.tally.protocol.statsd;

import dev.tally.protocol.model.LabelLimits;

/** Limits of {@link StatsdLineParser}. */
public final class StatsdParserOptions {
  /**
   * Default longest line, in bytes: 8 KiB, DogStatsD's largest datagram (its Unix-socket buffer),
   * so that any line a DogStatsD client packs fits.
   */
  public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

  private int maxLineLength;
  private LabelLimits labelLimits = LabelLimits.DEFAULT;

  public StatsdParserOptions() {
    maxLineLength = DEFAULT_MAX_LINE_LENGTH;
  }

  public StatsdParserOptions(StatsdParserOptions other) {
    maxLineLength = other.maxLineLength;
    labelLimits = other.labelLimits;
  }

  public LabelLimits getLabelLimits() {
    return labelLimits;
  }

  /**
   * Sets the bounds of a line's tags: a line with more tags, a longer tag value or a longer key
   * (name, tags and container id) is skipped and counted as {@code label_limits}.
   */
  public StatsdParserOptions setLabelLimits(LabelLimits labelLimits) {
    this.labelLimits = java.util.Objects.requireNonNull(labelLimits, "labelLimits");
    return this;
  }

  public int getMaxLineLength() {
    return maxLineLength;
  }

  /**
   * Sets the longest accepted line in bytes; a longer line is skipped and counted as {@code
   * line_too_long}. Must be between 16 and 65535.
   */
  public StatsdParserOptions setMaxLineLength(int maxLineLength) {
    if (maxLineLength < 16 || maxLineLength > StatsdKeys.MAX_PART_LENGTH) {
      throw new IllegalArgumentException(
          "maxLineLength must be between 16 and 65535, was " + maxLineLength);
    }
    this.maxLineLength = maxLineLength;
    return this;
  }
}
