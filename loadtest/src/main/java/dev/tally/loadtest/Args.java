package dev.tally.loadtest;

/** The {@code --name value} command lines of the load tools. */
public final class Args {
  private Args() {}

  /** The value after {@code name}, or {@code otherwise} if it is not given. */
  public static String get(String[] args, String name, String otherwise) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return otherwise;
  }
}
