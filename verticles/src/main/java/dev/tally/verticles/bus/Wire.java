package dev.tally.verticles.bus;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces the cluster's codecs share: strings as UTF-8 with an int length, a series key as its
 * kind code, name and label pairs (already canonical), and lengths checked against what is left of
 * the message, so that a bad message fails its decoding instead of allocating without bound. A read
 * takes its position in {@code at[0]} and moves it past what it read.
 */
public final class Wire {
  private Wire() {}

  /** Reads a message's version byte; a message of another version (another release) fails. */
  public static void version(Buffer buffer, int[] at, byte expected, String what) {
    byte version = buffer.getByte(at[0]++);
    if (version != expected) {
      throw new IllegalStateException(what + " version " + version + ", expected " + expected);
    }
  }

  public static void string(Buffer buffer, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(b.length).appendBytes(b);
  }

  public static String string(Buffer buffer, int[] at) {
    int len = length(buffer, at, 1);
    String s = buffer.getString(at[0], at[0] + len, "UTF-8");
    at[0] += len;
    return s;
  }

  /** A string that may be null (written as an empty one: null and empty are one here). */
  public static void optional(Buffer buffer, String s) {
    string(buffer, s == null ? "" : s);
  }

  public static String optional(Buffer buffer, int[] at) {
    String s = string(buffer, at);
    return s.isEmpty() ? null : s;
  }

  public static void key(Buffer buffer, SeriesKey key) {
    buffer.appendByte(key.kind().code());
    string(buffer, key.name());
    buffer.appendInt(key.labelCount());
    for (int i = 0; i < key.labelCount(); i++) {
      string(buffer, key.labelName(i));
      string(buffer, key.labelValue(i));
    }
  }

  public static SeriesKey key(Buffer buffer, int[] at) {
    MetricKind kind = MetricKind.ofCode(buffer.getByte(at[0]++));
    String name = string(buffer, at);
    int labels = length(buffer, at, 8);
    List<String> pairs = new ArrayList<>(2 * labels);
    for (int i = 0; i < 2 * labels; i++) {
      pairs.add(string(buffer, at));
    }
    return SeriesKey.of(kind, name, pairs);
  }

  /** Reads a count of items of at least {@code unit} bytes each, checked against the bytes left. */
  public static int length(Buffer buffer, int[] at, int unit) {
    int len = buffer.getInt(at[0]);
    if (len < 0 || (long) len * unit > buffer.length() - at[0] - 4) {
      throw new IllegalStateException("bad length " + len + " at " + at[0]);
    }
    at[0] += 4;
    return len;
  }

  /** An array that may be null: its length (-1 for null), then its values. */
  public static void doubles(Buffer buffer, double[] values) {
    if (values == null) {
      buffer.appendInt(-1);
      return;
    }
    buffer.appendInt(values.length);
    for (double v : values) {
      buffer.appendDouble(v);
    }
  }

  public static double[] doubles(Buffer buffer, int[] at) {
    if (buffer.getInt(at[0]) == -1) {
      at[0] += 4;
      return null;
    }
    double[] values = new double[length(buffer, at, 8)];
    for (int i = 0; i < values.length; i++, at[0] += 8) {
      values[i] = buffer.getDouble(at[0]);
    }
    return values;
  }

  /** An array that may be null: its length (-1 for null), then its values. */
  public static void longs(Buffer buffer, long[] values) {
    if (values == null) {
      buffer.appendInt(-1);
      return;
    }
    buffer.appendInt(values.length);
    for (long v : values) {
      buffer.appendLong(v);
    }
  }

  public static long[] longs(Buffer buffer, int[] at) {
    if (buffer.getInt(at[0]) == -1) {
      at[0] += 4;
      return null;
    }
    long[] values = new long[length(buffer, at, 8)];
    for (int i = 0; i < values.length; i++, at[0] += 8) {
      values[i] = buffer.getLong(at[0]);
    }
    return values;
  }

  /** As {@link #doubles(Buffer, int[])}, for an array that must be there. */
  public static double[] requiredDoubles(Buffer buffer, int[] at) {
    double[] values = doubles(buffer, at);
    if (values == null) {
      throw new IllegalStateException("a missing array at " + at[0]);
    }
    return values;
  }

  /** As {@link #longs(Buffer, int[])}, for an array that must be there. */
  public static long[] requiredLongs(Buffer buffer, int[] at) {
    long[] values = longs(buffer, at);
    if (values == null) {
      throw new IllegalStateException("a missing array at " + at[0]);
    }
    return values;
  }

  public static int getInt(Buffer buffer, int[] at) {
    int v = buffer.getInt(at[0]);
    at[0] += 4;
    return v;
  }

  public static double getDouble(Buffer buffer, int[] at) {
    double v = buffer.getDouble(at[0]);
    at[0] += 8;
    return v;
  }

  public static long getLong(Buffer buffer, int[] at) {
    long v = buffer.getLong(at[0]);
    at[0] += 8;
    return v;
  }
}
