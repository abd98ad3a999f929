package dev.tally.protocol.statsd;

/** Limits of {@link StatsdLineParser}. */
public final class StatsdParserOptions {
  /**
   * Default longest line, in bytes: 8 KiB, DogStatsD's largest datagram (its Unix-socket buffer),
   * so that any line a DogStatsD client packs fits.
   */
  public static final int DEFAULT_MAX_LINE_LENGTH = 8192;

  private int maxLineLength;

  public StatsdParserOptions() {
    maxLineLength = DEFAULT_MAX_LINE_LENGTH;
  }

  public StatsdParserOptions(StatsdParserOptions other) {
    maxLineLength = other.maxLineLength;
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
