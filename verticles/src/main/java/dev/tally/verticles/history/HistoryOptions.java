package dev.tally.verticles.history;

import java.nio.file.Path;

/**
 * Where and how the history keeps samples.
 *
 * @param dir its directory ({@code <data-dir>/history})
 * @param resolutionMillis time between two samples of a series ({@code --history-resolution})
 * @param retentionMillis how long samples are kept ({@code --history-retention})
 * @param maxBytes bytes on disk beyond which the oldest blocks go ({@code --history-max-bytes})
 * @param blockMillis the window of one block (1 h)
 */
public record HistoryOptions(
    Path dir, long resolutionMillis, long retentionMillis, long maxBytes, long blockMillis) {
  /** The window of a block: an hour, so that the head holds at most an hour of samples. */
  public static final long BLOCK_MILLIS = 3_600_000L;

  public HistoryOptions {
    if (resolutionMillis <= 0 || blockMillis <= 0 || blockMillis % resolutionMillis != 0) {
      throw new IllegalArgumentException(
          "resolution " + resolutionMillis + " ms must divide the block window " + blockMillis);
    }
  }
}
