package dev.tally.protocol.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses PromQL by recursive descent with precedence climbing, as Prometheus' own lexer and grammar
 * read it, for the subset Tally evaluates: selectors with {@code = != =~ !~}, ranges, {@code
 * offset}; the functions of {@link Function}; the aggregations {@code sum avg min max count group
 * stddev stdvar topk bottomk quantile} with {@code by}/{@code without}; arithmetic, comparison
 * (with {@code bool}) and set operators with {@code on}/{@code ignoring} and {@code
 * group_left}/{@code group_right}. Everything else is a {@link ParseException} that names it.
 *
 * <p>Precedence, loosest first: {@code or}; {@code and unless}; comparisons; {@code + -}; {@code *
 * / % atan2}; unary minus; {@code ^} (right-associative).
 */
public final class Parser {
  /** The longest query taken. */
  public static final int MAX_LENGTH = 16 * 1024;

  private static final int MAX_DEPTH = 200;
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "avg",
          "min",
          "max",
          "count",
          "group",
          "stddev",
          "stdvar",
          "topk",
          "bottomk",
          "quantile",
          "count_values",
          "limitk",
          "limit_ratio");
  private static final Set<String> UNSUPPORTED_AGGREGATIONS =
      Set.of("count_values", "limitk", "limit_ratio");

  private final String in;
  private int pos;
  private int depth;
  private String lastKeyword = ""; // the keyword keyword() took last

  private Parser(String in) {
    this.in = in;
  }

  /** Parses a query. */
  public static Expr parse(String query) throws ParseException {
    if (query.length() > MAX_LENGTH) {
      throw new ParseException(query, 0, "query longer than " + MAX_LENGTH + " characters");
    }
    Parser p = new Parser(query);
    p.skipSpace();
    if (p.pos >= query.length()) {
      throw p.error("no expression found in input");
    }
    Expr e = p.expr(0);
    p.skipSpace();
    if (p.pos < query.length()) {
      throw p.error("unexpected " + p.describeNext());
    }
    return e;
  }

  /**
   * Parses a series selector, as {@code match[]} parameters give them.
   *
   * @throws ParseException if it is not a selector
   */
  public static Expr.Selector parseSelector(String text) throws ParseException {
    Expr e = parse(text);
    while (e instanceof Expr.Paren p) {
      e = p.expr();
    }
    if (e instanceof Expr.Selector s && s.offsetMillis() == 0) {
      return s;
    }
    throw new ParseException(text, 0, "expected a series selector");
  }

  // ---- binary operators

  private static int precedence(String op) {
    return switch (op) {
      case "or" -> 1;
      case "and", "unless" -> 2;
      case "==", "!=", "<", ">", "<=", ">=" -> 3;
      case "+", "-" -> 4;
      case "*", "/", "%", "atan2" -> 5;
      case "^" -> 7;
      default -> -1;
    };
  }

  private Expr expr(int minPrecedence) throws ParseException {
    if (++depth > MAX_DEPTH) {
      throw error("expression nested deeper than " + MAX_DEPTH);
    }
    try {
      Expr lhs = unary();
      while (true) {
        skipSpace();
        int at = pos;
        String op = peekOperator();
        int prec = op == null ? -1 : precedence(op);
        if (prec < 0 || prec < minPrecedence || prec == 7) {
          return lhs;
        }
        pos += op.length();
        lhs = binary(op, lhs, at, prec + 1);
      }
    } finally {
      depth--;
    }
  }

  /** The modifiers and right side of a binary operator, then the operation, checked. */
  private Expr binary(String op, Expr lhs, int at, int rhsPrecedence) throws ParseException {
    boolean bool = false;
    skipSpace();
    if (keyword("bool")) {
      if (!Expr.Binary.isComparison(op)) {
        throw error(at, "bool modifier can only be used on comparison operators");
      }
      bool = true;
    }
    Expr.Matching matching = Expr.Matching.DEFAULT;
    boolean explicit = false;
    skipSpace();
    if (keyword("on") || keyword("ignoring")) {
      boolean on = lastKeyword.equals("on");
      matching = new Expr.Matching(Expr.Cardinality.ONE_TO_ONE, on, labelList(), List.of());
      explicit = true;
      skipSpace();
      if (keyword("group_left") || keyword("group_right")) {
        Expr.Cardinality card =
            lastKeyword.equals("group_left")
                ? Expr.Cardinality.MANY_TO_ONE
                : Expr.Cardinality.ONE_TO_MANY;
        skipSpace();
        List<String> include = peek() == '(' ? labelList() : List.of();
        matching = new Expr.Matching(card, matching.on(), matching.labels(), include);
      }
    } else if (keyword("group_left") || keyword("group_right")) {
      throw error(at, "group modifiers need on(...) or ignoring(...) before them");
    }
    Expr rhs = op.equals("^") ? unary() : expr(rhsPrecedence);
    boolean set = Expr.Binary.isSetOperator(op);
    Expr.Type lt = lhs.type();
    Expr.Type rt = rhs.type();
    for (Expr.Type t : List.of(lt, rt)) {
      if (t != Expr.Type.SCALAR && t != Expr.Type.INSTANT_VECTOR) {
        throw error(
            at, "binary expression must contain only scalar and instant vector types, not " + t);
      }
    }
    boolean vectors = lt == Expr.Type.INSTANT_VECTOR && rt == Expr.Type.INSTANT_VECTOR;
    if (set) {
      if (!vectors) {
        throw error(at, "set operator \"" + op + "\" not allowed in binary scalar expression");
      }
      if (matching.card() != Expr.Cardinality.ONE_TO_ONE) {
        throw error(at, "no grouping allowed for \"" + op + "\" operation");
      }
      matching =
          new Expr.Matching(
              Expr.Cardinality.MANY_TO_MANY, matching.on(), matching.labels(), List.of());
    } else if (explicit && !vectors) {
      throw error(at, "vector matching only allowed between instant vectors");
    }
    if (Expr.Binary.isComparison(op)
        && !bool
        && !vectors
        && lt == Expr.Type.SCALAR
        && rt == Expr.Type.SCALAR) {
      throw error(at, "comparisons between scalars must use BOOL modifier");
    }
    if (op.equals("atan2")) {
      throw error(at, "the operator atan2 is not supported by Tally");
    }
    return new Expr.Binary(op, lhs, rhs, bool, vectors ? matching : null);
  }

  private String peekOperator() {
    if (pos >= in.length()) {
      return null;
    }
    for (String op : List.of("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "^")) {
      if (in.startsWith(op, pos)) {
        return op;
      }
    }
    for (String word : List.of("and", "or", "unless", "atan2")) {
      if (in.startsWith(word, pos) && !isIdentChar(charAt(pos + word.length()))) {
        return word;
      }
    }
    return null;
  }

  private Expr unary() throws ParseException {
    if (++depth > MAX_DEPTH) { // unary signs and ^ nest without expr()
      throw error("expression nested deeper than " + MAX_DEPTH);
    }
    try {
      return unaryBody();
    } finally {
      depth--;
    }
  }

  private Expr unaryBody() throws ParseException {
    skipSpace();
    char c = peek();
    if (c == '-' || c == '+') {
      pos++;
      Expr e = unary();
      if (e.type() != Expr.Type.SCALAR && e.type() != Expr.Type.INSTANT_VECTOR) {
        throw error(
            "unary expression only allowed on expressions of type scalar or instant"
                + " vector, got "
                + e.type());
      }
      if (c == '+') {
        return e;
      }
      if (e instanceof Expr.Number n) {
        return new Expr.Number(-n.value());
      }
      return new Expr.Negation(e);
    }
    Expr base = postfix(primary());
    skipSpace();
    if (peek() == '^') {
      pos++;
      return binary("^", base, pos - 1, 7);
    }
    return base;
  }

  // ---- primary expressions

  private Expr primary() throws ParseException {
    skipSpace();
    int start = pos;
    char c = peek();
    if (c == '(') {
      pos++;
      Expr e = expr(0);
      expect(')');
      return new Expr.Paren(e);
    }
    if (c == '"' || c == '\'' || c == '`') {
      return new Expr.Text(string());
    }
    if (c == '{') {
      return selector(null, start);
    }
    if (isDigit(c) || (c == '.' && isDigit(charAt(pos + 1)))) {
      return new Expr.Number(number());
    }
    if (isIdentStart(c)) {
      String id = identifier();
      String lower = id.toLowerCase(Locale.ROOT);
      if (lower.equals("inf") || lower.equals("nan")) {
        return new Expr.Number(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
      }
      skipSpace();
      if (AGGREGATIONS.contains(id) && (peek() == '(' || atKeyword("by") || atKeyword("without"))) {
        return aggregation(id, start);
      }
      if (peek() == '(') {
        return call(id, start);
      }
      return selector(id, start);
    }
    if (pos >= in.length()) {
      throw error("unexpected end of input");
    }
    throw error("unexpected " + describeNext());
  }

  /** Range, offset and {@code @} after an expression. */
  private Expr postfix(Expr e) throws ParseException {
    while (true) {
      skipSpace();
      int at = pos;
      if (peek() == '[') {
        pos++;
        skipSpace();
        long range = duration("range");
        skipSpace();
        if (peek() == ':') {
          throw error(at, "subqueries are not supported by Tally");
        }
        expect(']');
        if (!(e instanceof Expr.Selector s)) {
          throw error(at, "ranges only allowed for vector selectors");
        }
        if (range <= 0) {
          throw error(at, "range must be positive");
        }
        e = new Expr.Range(s, range);
      } else if (keyword("offset")) {
        skipSpace();
        boolean negative = peek() == '-';
        if (negative) {
          pos++;
        }
        long offset = duration("offset") * (negative ? -1 : 1);
        if (e instanceof Expr.Selector s) {
          if (s.offsetMillis() != 0) {
            throw error(at, "offset may not be set multiple times");
          }
          e = new Expr.Selector(s.name(), s.matchers(), offset);
        } else if (e instanceof Expr.Range r) {
          if (r.selector().offsetMillis() != 0) {
            throw error(at, "offset may not be set multiple times");
          }
          Expr.Selector s = r.selector();
          e = new Expr.Range(new Expr.Selector(s.name(), s.matchers(), offset), r.rangeMillis());
        } else {
          throw error(
              at,
              "offset modifier must be preceded by an instant vector selector or"
                  + " range vector selector");
        }
      } else if (peek() == '@') {
        throw error(at, "the @ modifier is not supported by Tally");
      } else {
        return e;
      }
    }
  }

  private Expr selector(String name, int start) throws ParseException {
    List<Matcher> matchers = new ArrayList<>();
    if (name != null) {
      matchers.add(Matcher.of(Labels.NAME, Matcher.Op.EQ, name));
    }
    skipSpace();
    if (peek() == '{') {
      pos++;
      while (true) {
        skipSpace();
        if (peek() == '}') {
          pos++;
          break;
        }
        int at = pos;
        String label = peek() == '"' ? string() : labelName();
        skipSpace();
        Matcher.Op op;
        if (in.startsWith("=~", pos)) {
          op = Matcher.Op.RE;
        } else if (in.startsWith("!~", pos)) {
          op = Matcher.Op.NRE;
        } else if (in.startsWith("!=", pos)) {
          op = Matcher.Op.NE;
        } else if (in.startsWith("=", pos)) {
          op = Matcher.Op.EQ;
        } else {
          throw error(
              "unexpected "
                  + describeNext()
                  + " in label matching, expected label"
                  + " matching operator");
        }
        pos += op.text().length();
        skipSpace();
        String value = string();
        if (label.equals(Labels.NAME) && name != null) {
          throw error(at, "metric name must not be set twice: \"" + name + "\"");
        }
        try {
          matchers.add(Matcher.of(label, op, value));
        } catch (IllegalArgumentException e) {
          throw error(at, e.getMessage());
        }
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else if (peek() != '}') {
          throw error(
              "unexpected " + describeNext() + " in label matching, expected \",\" or" + " \"}\"");
        }
      }
    }
    boolean nonEmpty = false;
    for (Matcher m : matchers) {
      nonEmpty |= !m.matches("");
    }
    if (!nonEmpty) {
      throw error(start, "vector selector must contain at least one non-empty matcher");
    }
    String metric = name;
    for (Matcher m : matchers) {
      if (metric == null && m.name().equals(Labels.NAME) && m.op() == Matcher.Op.EQ) {
        metric = m.value();
      }
    }
    return new Expr.Selector(metric, List.copyOf(matchers), 0);
  }

  private Expr call(String name, int start) throws ParseException {
    Function f = Function.named(name);
    if (f == null) {
      throw error(start, "unknown or unsupported function \"" + name + "\"");
    }
    expect('(');
    List<Expr> args = new ArrayList<>();
    skipSpace();
    if (peek() != ')') {
      while (true) {
        args.add(expr(0));
        skipSpace();
        if (peek() == ',') {
          pos++;
        } else {
          break;
        }
      }
    }
    expect(')');
    int max = f.args().size();
    int min = max - f.optional();
    if (args.size() < min || args.size() > max) {
      throw error(
          start,
          "expected "
              + (min == max ? Integer.toString(max) : min + " to " + max)
              + " argument(s) in call to \""
              + name
              + "\", got "
              + args.size());
    }
    for (int i = 0; i < args.size(); i++) {
      Expr.Type want = f.args().get(i);
      if (args.get(i).type() != want) {
        throw error(
            start,
            "expected type "
                + want
                + " in call to function \""
                + name
                + "\", got "
                + args.get(i).type());
      }
    }
    return new Expr.Call(f, List.copyOf(args));
  }

  private Expr aggregation(String op, int start) throws ParseException {
    if (UNSUPPORTED_AGGREGATIONS.contains(op)) {
      throw error(start, "the aggregation " + op + " is not supported by Tally");
    }
    List<String> grouping = List.of();
    boolean without = false;
    boolean grouped = false;
    skipSpace();
    if (keyword("by") || keyword("without")) {
      without = lastKeyword.equals("without");
      grouping = labelList();
      grouped = true;
    }
    expect('(');
    Expr param = null;
    boolean parametric = op.equals("topk") || op.equals("bottomk") || op.equals("quantile");
    if (parametric) {
      param = expr(0);
      skipSpace();
      expect(',');
    }
    Expr e = expr(0);
    expect(')');
    skipSpace();
    if (!grouped && (keyword("by") || keyword("without"))) {
      without = lastKeyword.equals("without");
      grouping = labelList();
    }
    if (param != null && param.type() != Expr.Type.SCALAR) {
      throw error(start, "expected type scalar in aggregation parameter, got " + param.type());
    }
    if (e.type() != Expr.Type.INSTANT_VECTOR) {
      throw error(start, "expected type instant vector in aggregation expression, got " + e.type());
    }
    return new Expr.Aggregate(op, param, e, grouping, without);
  }

  // ---- tokens

  /** Consumes {@code word} if it comes next as a whole word. */
  private boolean keyword(String word) {
    if (atKeyword(word)) {
      pos += word.length();
      lastKeyword = word;
      return true;
    }
    return false;
  }

  private boolean atKeyword(String word) {
    return in.startsWith(word, pos) && !isIdentChar(charAt(pos + word.length()));
  }

  private List<String> labelList() throws ParseException {
    skipSpace();
    expect('(');
    List<String> out = new ArrayList<>();
    while (true) {
      skipSpace();
      if (peek() == ')') {
        pos++;
        return List.copyOf(out);
      }
      out.add(peek() == '"' ? string() : labelName());
      skipSpace();
      if (peek() == ',') {
        pos++;
      } else if (peek() != ')') {
        throw error("unexpected " + describeNext() + " in grouping opts, expected \",\" or \")\"");
      }
    }
  }

  private String labelName() throws ParseException {
    if (!isIdentStart(peek()) || peek() == ':') {
      throw error("unexpected " + describeNext() + ", expected label name");
    }
    int start = pos;
    while (pos < in.length() && isIdentChar(in.charAt(pos)) && in.charAt(pos) != ':') {
      pos++;
    }
    return in.substring(start, pos);
  }

  private String identifier() {
    int start = pos;
    while (pos < in.length() && isIdentChar(in.charAt(pos))) {
      pos++;
    }
    return in.substring(start, pos);
  }

  private long duration(String what) throws ParseException {
    int start = pos;
    while (pos < in.length() && PromDurations.isDurationChar(in.charAt(pos))) {
      pos++;
    }
    long ms = PromDurations.parseMillis(in.substring(start, pos));
    if (ms < 0) {
      throw error(start, "bad " + what + " duration \"" + in.substring(start, pos) + "\"");
    }
    return ms;
  }

  private double number() throws ParseException {
    int start = pos;
    if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
      pos += 2;
      while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) {
        pos++;
      }
      try {
        return Long.parseLong(in.substring(start + 2, pos), 16);
      } catch (NumberFormatException e) {
        throw error(start, "bad number \"" + in.substring(start, pos) + "\"");
      }
    }
    while (pos < in.length() && (isDigit(in.charAt(pos)) || in.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
      int e = pos++;
      if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) {
        pos++;
      }
      if (!isDigit(charAt(pos))) {
        pos = e;
      }
      while (pos < in.length() && isDigit(in.charAt(pos))) {
        pos++;
      }
    }
    if (isIdentChar(charAt(pos))) {
      throw error(start, "bad number or duration syntax: \"" + in.substring(start, pos + 1) + "\"");
    }
    try {
      return Double.parseDouble(in.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error(start, "bad number \"" + in.substring(start, pos) + "\"");
    }
  }

  /** A string in double or single quotes (with Go's escapes) or backticks (raw). */
  private String string() throws ParseException {
    char quote = peek();
    if (quote != '"' && quote != '\'' && quote != '`') {
      throw error("unexpected " + describeNext() + ", expected a string");
    }
    int start = pos++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= in.length()) {
        throw error(start, "unterminated quoted string");
      }
      char c = in.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (quote == '`' || c != '\\') {
        if (c == '\n' && quote != '`') {
          throw error(start, "unterminated quoted string");
        }
        sb.append(c);
        continue;
      }
      if (pos >= in.length()) {
        throw error(start, "unterminated quoted string");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> sb.append('\u0007');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'v' -> sb.append('\u000b');
        case '\\', '"', '\'' -> sb.append(e);
        case 'x' -> sb.appendCodePoint(hex(2));
        case 'u' -> sb.appendCodePoint(hex(4));
        case 'U' -> sb.appendCodePoint(hex(8));
        default -> {
          if (pos + 1 < in.length()
              && isOctal(e)
              && isOctal(in.charAt(pos))
              && isOctal(in.charAt(pos + 1))) {
            sb.append((char) Integer.parseInt(in.substring(pos - 1, pos + 2), 8));
            pos += 2;
          } else {
            throw error(pos - 2, "unknown escape sequence \\" + e);
          }
        }
      }
    }
  }

  private int hex(int digits) throws ParseException {
    if (pos + digits > in.length()) {
      throw error("bad escape sequence");
    }
    long v = 0;
    for (int i = 0; i < digits; i++) {
      int d = Character.digit(in.charAt(pos + i), 16);
      if (d < 0) {
        throw error("bad escape sequence");
      }
      v = v * 16 + d;
    }
    if (v > Character.MAX_CODE_POINT) {
      throw error("escape sequence is an invalid Unicode code point");
    }
    pos += digits;
    return (int) v;
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private void expect(char c) throws ParseException {
    skipSpace();
    if (peek() != c) {
      throw error("unexpected " + describeNext() + ", expected \"" + c + "\"");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else {
        return;
      }
    }
  }

  private char peek() {
    return charAt(pos);
  }

  private char charAt(int i) {
    return i < in.length() ? in.charAt(i) : '\0';
  }

  private String describeNext() {
    if (pos >= in.length()) {
      return "end of input";
    }
    int end = pos + 1;
    while (end < in.length()
        && end - pos < 20
        && isIdentChar(in.charAt(end - 1))
        && isIdentChar(in.charAt(end))) {
      end++;
    }
    return "\"" + in.substring(pos, end) + "\"";
  }

  private ParseException error(String message) {
    return error(pos, message);
  }

  private ParseException error(int at, String message) {
    return new ParseException(in, at, message);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  }

  private static boolean isIdentChar(char c) {
    return isIdentStart(c) || isDigit(c);
  }
}
