package dev.tally.protocol.model;

import com.google.protobuf.ByteString;

/**
 * Trace and span ids as longs (a trace id is two), their lower-case hex form, and their parsing. An
 * id of zero is "none", as in W3C Trace Context and OTLP.
 */
public final class TraceIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  /** The big-endian long at {@code bytes[at, at + 8)}. */
  public static long longAt(ByteString bytes, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (bytes.byteAt(at + i) & 0xFF);
    }
    return v;
  }

  /** The 32-digit hex form of a trace id. */
  public static String hex(long high, long low) {
    char[] c = new char[32];
    put(c, 0, high);
    put(c, 16, low);
    return new String(c);
  }

  /** The 16-digit hex form of a span id; empty for 0 (no span). */
  public static String hex(long spanId) {
    if (spanId == 0) {
      return "";
    }
    char[] c = new char[16];
    put(c, 0, spanId);
    return new String(c);
  }

  /**
   * Parses a 32-digit hex trace id (either case).
   *
   * @return {high, low}, or null if {@code hex} is not 32 hex digits
   */
  public static long[] parseTraceId(String hex) {
    if (hex == null || hex.length() != 32) {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        return null;
      }
      if (i < 16) {
        high = (high << 4) | d;
      } else {
        low = (low << 4) | d;
      }
    }
    return new long[] {high, low};
  }

  private static void put(char[] c, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      c[at + i] = HEX[(int) (v & 0xF)];
      v >>>= 4;
    }
  }
}
