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

  OptionSpec(String name, ValueType type, String defaultValue, String help) {
    this.name = name;
    this.type = type;
    this.defaultValue = defaultValue;
    this.help = help;
  }

  /** The environment variable of this key. */
  String envName() {
    return "TALLY_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
