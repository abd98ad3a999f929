package dev.tally.gateway.ingest;

/**
 * Cuts a StatsD stream (one TCP connection) into whole lines for the parser: the bytes after the
 * last newline of a read wait for the next, up to the longest line accepted; a longer line is given
 * to the parser cut (which rejects it as {@code line_too_long}) and its rest, up to its newline, is
 * skipped. Confined to its connection's event loop.
 */
final class LineFramer {
  private final int maxLineLength;

  /** The start of a line that goes on in the next read; made at the first such line. */
  private byte[] carry;

  private int carried;

  /** True while the rest of a line too long is skipped, until its newline. */
  private boolean skipping;

  LineFramer(int maxLineLength) {
    this.maxLineLength = maxLineLength;
  }

  /** Gives {@code handler} every whole line of {@code bytes[from, to)} and what waited before. */
  void feed(byte[] bytes, int from, int to, DatagramHandler handler) {
    int first = indexOf(bytes, from, to);
    if (first < 0) {
      append(bytes, from, to, handler);
      return;
    }
    int start = from;
    if (carried > 0 || skipping) {
      append(bytes, from, first, handler);
      if (!skipping) {
        handler.lines(carry, 0, carried);
      }
      carried = 0;
      skipping = false;
      start = first + 1;
    }
    int last = lastIndexOf(bytes, start, to);
    if (last >= start) {
      handler.lines(bytes, start, last + 1);
      start = last + 1;
    }
    append(bytes, start, to, handler);
  }

  /** The connection ended: its last line, if it had no newline, is parsed as it is. */
  void end(DatagramHandler handler) {
    if (carried > 0 && !skipping) {
      handler.lines(carry, 0, carried);
    }
    carried = 0;
    skipping = false;
  }

  /** Bytes of a line that goes on in the next read. */
  private void append(byte[] bytes, int from, int to, DatagramHandler handler) {
    if (skipping || from >= to) {
      return;
    }
    if (carry == null) {
      carry = new byte[maxLineLength + 1]; // a connection whose reads end at lines needs none
    }
    int room = carry.length - carried;
    int n = Math.min(room, to - from);
    System.arraycopy(bytes, from, carry, carried, n);
    carried += n;
    if (carried > maxLineLength) {
      handler.lines(carry, 0, carried); // one byte over the limit: rejected as line_too_long
      carried = 0;
      skipping = true;
    }
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
