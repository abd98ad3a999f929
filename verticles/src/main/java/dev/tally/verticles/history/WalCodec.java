package dev.tally.verticles.history;

import dev.tally.protocol.promql.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The payloads of the history's logs. A series record: id, then its labels (count, then each name
 * and value as length and UTF-8). A samples record: time, source, count, then per sample the id as
 * the zig-zag varint of its difference to the previous id, and the value XORed with the last value
 * logged for that series, as a byte of (leading zero bytes × 9 + trailing zero bytes) and the bytes
 * between. The previous values start at 0 when the log starts after a block was cut, so a record
 * reads back from that point on. A samples record also names its source (0 the ticks, others rule
 * groups). One writer, one reader at recovery: not thread-safe.
 */
final class WalCodec {
  private long[] last = new long[1024]; // raw bits of each series' last logged value
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
  private int[] pendingIds; // the record made last, until it is committed
  private double[] pendingValues;
  private int pendingCount;

  /** A decoded samples record. */
  record Samples(long t, int source, int[] ids, double[] values) {}

  /** Forgets the last values: the log restarts here. */
  void reset() {
    Arrays.fill(last, 0);
  }

  /**
   * A samples record. The values it XORs against move on only at {@link #commit}, once the record
   * is written: a record that failed to be written leaves the chain as the log has it.
   */
  byte[] samples(long t, int source, int[] ids, double[] values, int n) {
    out.reset();
    pendingIds = ids;
    pendingValues = values;
    pendingCount = n;
    writeLong(t);
    writeVarint(source);
    writeVarint(n);
    int prevId = 0;
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      writeVarint(zigzag(id - prevId));
      prevId = id;
      long raw = Double.doubleToRawLongBits(values[i]);
      long x = raw ^ lastOf(id);
      int lead = Long.numberOfLeadingZeros(x) / 8;
      int trail = x == 0 ? 0 : Long.numberOfTrailingZeros(x) / 8;
      if (x == 0) {
        lead = 8;
      }
      out.write(lead * 9 + trail);
      for (int b = 7 - lead; b >= trail; b--) {
        out.write((int) (x >>> (8 * b)));
      }
    }
    return out.toByteArray();
  }

  /**
   * The record {@link #samples} made last is in the log: its values are the ones to XOR against.
   */
  void commit() {
    for (int i = 0; i < pendingCount; i++) {
      lastOf(pendingIds[i]); // grows the array
      last[pendingIds[i]] = Double.doubleToRawLongBits(pendingValues[i]);
    }
    pendingCount = 0;
  }

  Samples readSamples(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    long t = b.getLong();
    int source = readVarint(b);
    int n = readVarint(b);
    int[] ids = new int[n];
    double[] values = new double[n];
    int prevId = 0;
    for (int i = 0; i < n; i++) {
      int id = prevId + unzigzag(readVarint(b));
      prevId = id;
      int h = b.get() & 0xff;
      int lead = h / 9;
      int trail = h % 9;
      long x = 0;
      for (int k = 7 - lead; k >= trail; k--) {
        x |= (long) (b.get() & 0xff) << (8 * k);
      }
      long raw = x ^ lastOf(id);
      last[id] = raw;
      ids[i] = id;
      values[i] = Double.longBitsToDouble(raw);
    }
    return new Samples(t, source, ids, values);
  }

  private long lastOf(int id) {
    if (id >= last.length) {
      last = Arrays.copyOf(last, Math.max(id + 1, last.length * 2));
    }
    return last[id];
  }

  static byte[] series(int id, Labels labels) {
    ByteArrayOutputStream o = new ByteArrayOutputStream(64);
    ByteBuffer b = ByteBuffer.allocate(4).putInt(0, id);
    o.write(b.array(), 0, 4);
    writeVarint(o, labels.size());
    for (int i = 0; i < labels.size(); i++) {
      writeString(o, labels.name(i));
      writeString(o, labels.value(i));
    }
    return o.toByteArray();
  }

  /** A series record's id and labels. */
  record Series(int id, Labels labels) {}

  static Series readSeries(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    int id = b.getInt();
    int n = readVarint(b);
    Labels.Builder l = new Labels.Builder();
    for (int i = 0; i < n; i++) {
      l.set(readString(b), readString(b));
    }
    return new Series(id, l.build());
  }

  private void writeLong(long v) {
    for (int i = 7; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
  }

  private void writeVarint(int v) {
    writeVarint(out, v);
  }

  private static void writeVarint(ByteArrayOutputStream o, int v) {
    while ((v & ~0x7f) != 0) {
      o.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    o.write(v);
  }

  private static int readVarint(ByteBuffer b) {
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int x = b.get() & 0xff;
      v |= (x & 0x7f) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  private static void writeString(ByteArrayOutputStream o, String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(o, u.length);
    o.write(u, 0, u.length);
  }

  private static String readString(ByteBuffer b) {
    int n = readVarint(b);
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }

  private static int zigzag(int v) {
    return (v << 1) ^ (v >> 31);
  }

  private static int unzigzag(int v) {
    return (v >>> 1) ^ -(v & 1);
  }
}
