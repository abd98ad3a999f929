package dev.tally.protocol.promql;

/** A query that does not parse, or asks for what Tally does not evaluate; says where and why. */
public final class ParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param query the query's text
   * @param at the character the error was found at
   */
  ParseException(String query, int at, String message) {
    super(position(query, at) + ": parse error: " + message);
  }

  /** {@code line:column} of a character, as Prometheus reports it. */
  private static String position(String query, int at) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < Math.min(at, query.length()); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return line + ":" + column;
  }
}
