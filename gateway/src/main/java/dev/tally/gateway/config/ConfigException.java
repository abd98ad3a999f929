package dev.tally.gateway.config;

import java.util.List;

/** A configuration that cannot start: one message per bad key, all of them. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per bad key, naming the key, the value and what is allowed. */
  public List<String> problems() {
    return problems;
  }
}
