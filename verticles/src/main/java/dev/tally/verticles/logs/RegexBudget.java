package dev.tally.verticles.logs;

/**
 * Bounds the work of one search's regular expression: the bodies it reads count their characters
 * read, and once {@code limit} are read the search stops with what it found (a backtracking pattern
 * such as {@code (a+)+b} would otherwise hold a thread for minutes). Confined to the thread of its
 * one search.
 */
final class RegexBudget {
  /** Characters one search's regular expression may read: about a second of matching. */
  static final long DEFAULT_LIMIT = 200_000_000L;

  private final long limit;
  private long read;

  RegexBudget(long limit) {
    this.limit = limit;
  }

  /** {@code text} as the pattern reads it, counted against the budget. */
  CharSequence wrap(String text) {
    return new Counted(text, 0, text.length());
  }

  /** Thrown when the budget runs out, to stop the match under way; no stack trace. */
  static final class Exhausted extends RuntimeException {
    Exhausted() {
      super("regular expression budget exhausted", null, false, false);
    }
  }

  private final class Counted implements CharSequence {
    private final String text;
    private final int from;
    private final int to;

    Counted(String text, int from, int to) {
      this.text = text;
      this.from = from;
      this.to = to;
    }

    @Override
    public int length() {
      return to - from;
    }

    @Override
    public char charAt(int index) {
      if (++read > limit) {
        throw new Exhausted();
      }
      return text.charAt(from + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new Counted(text, from + start, from + end);
    }

    @Override
    public String toString() {
      return text.substring(from, to);
    }
  }
}
