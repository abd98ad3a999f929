package dev.tally.protocol.model;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/**
 * Trace and span ids as longs (a trace id is two), their lower-case hex form, and their parsing. An
 * id of zero is "none", as in W3C Trace Context and OTLP.
 */
public final class TraceIds {
  private static final HexFormat HEX = HexFormat.of();

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
    return HEX.toHexDigits(high) + HEX.toHexDigits(low);
  }

  /** The 16-digit hex form of a span id; empty for 0 (no span). */
  public static String hex(long spanId) {
    return spanId == 0 ? "" : HEX.toHexDigits(spanId);
  }

  /**
   * Parses a 32-digit hex trace id (either case).
   *
   * @return {high, low}, or null if {@code hex} is not 32 hex digits
   */
  public static long[] parseTraceId(String hex) {
    if (hex == null || hex.length() != 32 || !isHex(hex)) {
      return null;
    }
    return new long[] {
      HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32)
    };
  }

  /** True if every character of {@code s} is an ASCII hex digit (either case). */
  public static boolean isHex(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (!HexFormat.isHexDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
