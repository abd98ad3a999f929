package dev.tally.protocol.model;

/** JSON text written by hand where an object tree would cost too much: strings, escaped. */
public final class JsonText {
  private JsonText() {}

  /**
   * Appends {@code s} as a JSON string: quoted, {@code "} and {@code \} escaped, controls as {@code
   * \\uXXXX}.
   */
  public static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
