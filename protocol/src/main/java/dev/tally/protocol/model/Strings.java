package dev.tally.protocol.model;

/** Heap estimates of strings and string arrays (compressed references, Latin-1 strings). */
final class Strings {
  private Strings() {}

  /** A string's object and its array; 0 for null. */
  static long estimatedBytes(String s) {
    return s == null ? 0 : 40 + s.length();
  }

  /** An array and every string in it; 0 for null. */
  static long estimatedBytes(String[] a) {
    if (a == null) {
      return 0;
    }
    long bytes = 16 + 4L * a.length;
    for (String s : a) {
      bytes += estimatedBytes(s);
    }
    return bytes;
  }
}
