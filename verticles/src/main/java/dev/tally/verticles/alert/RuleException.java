package dev.tally.verticles.alert;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A rule that cannot be accepted, with every reason: {@code {"errors":[{"field","message"}]}}. */
public final class RuleException extends Exception {
  private final List<FieldError> errors;

  RuleException(List<FieldError> errors) {
    super(errors.toString());
    this.errors = List.copyOf(errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** The body of the 400 answer (CONTRACT §8). */
  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    for (FieldError e : errors) {
      a.add(new JsonObject().put("field", e.field()).put("message", e.message()));
    }
    return new JsonObject().put("errors", a);
  }

  /** One problem of a rule: the field (dotted for nested ones) and what is wrong. */
  public record FieldError(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }
}
