package dev.tally.gateway.config;

import java.util.Locale;

/**
 * One configuration key: its name (the flag without {@code --}, the file key), its kind of value,
 * its default and its help text. The environment variable is {@code TALLY_} + the name in upper
 * case with {@code _} for {@code -}.
 */
final class OptionSpec {
  final String name;
  final ValueType type;
  final String defaultValue;
  final String help;
  final long min;
  final long max;

  /** True if the value must never be printed (tokens). */
  final boolean secret;

  OptionSpec(String name, ValueType type, String defaultValue, String help) {
    this(name, type, defaultValue, help, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A numeric key with bounds, in the parsed unit (bytes, milliseconds, count). */
  OptionSpec(String name, ValueType type, String defaultValue, String help, long min, long max) {
    this(name, type, defaultValue, help, min, max, false);
  }

  private OptionSpec(
      String name,
      ValueType type,
      String defaultValue,
      String help,
      long min,
      long max,
      boolean secret) {
    this.secret = secret;
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.help = help;
    this.min = min;
    this.max = max;
  }

  /** A key without default whose value is never printed in messages. */
  static OptionSpec secret(String name, ValueType type, String help) {
    return new OptionSpec(name, type, null, help, Long.MIN_VALUE, Long.MAX_VALUE, true);
  }

  /** The value as messages may show it. */
  String shown(Object raw) {
    return secret ? "<hidden>" : String.valueOf(raw);
  }

  /** Null if {@code value} is within bounds, else what is allowed. */
  String outOfBounds(Object value) {
    if (!(value instanceof Number)) {
      return null;
    }
    long v = ((Number) value).longValue();
    if (v >= min && v <= max) {
      return null;
    }
    return "between " + bound(min) + " and " + bound(max);
  }

  private String bound(long v) {
    return type == ValueType.DURATION ? v + "ms" : Long.toString(v);
  }

  /** The environment variable of this key. */
  String envName() {
    return "TALLY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
