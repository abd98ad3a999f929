package dev.tally.verticles.query;

/** A query that cannot be answered; its kind is Prometheus' {@code errorType}. */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Prometheus' error types, with their HTTP status. */
  public enum Kind {
    BAD_DATA("bad_data", 400),
    EXECUTION("execution", 422),
    TIMEOUT("timeout", 503),
    INTERNAL("internal", 500);

    private final String type;
    private final int status;

    Kind(String type, int status) {
      this.type = type;
      this.status = status;
    }

    public String type() {
      return type;
    }

    public int status() {
      return status;
    }
  }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
