package dev.tally.verticles.history;

import java.util.Arrays;

/**
 * One series' samples compressed as Facebook's Gorilla paper and Prometheus' chunks do: the first
 * timestamp and value whole (64 bits each), then each timestamp as the change of its distance to
 * the one before (delta-of-delta: one bit when samples are evenly spaced, as history's are), and
 * each value XORed with the one before (one bit when unchanged, else only its meaningful bits).
 * Values keep their bits, so a stale marker (a NaN of its own) comes back as it went in.
 *
 * <p>Appended by one thread; read by others from a {@link #publish} view taken after appends: a
 * view fixes a sample count and the array that held those samples, and later appends only add bits
 * after them (a copy when the array grows), so a reader never sees a half-written sample.
 */
public final class XorChunk {
  private byte[] bytes;
  private int bits; // bits written
  private int count;
  private long lastT;
  private long lastDelta;
  private long lastV; // raw bits
  private int leading = -1; // the window of the last value written whole; -1 before any
  private int trailing;

  /** Samples fixed at one moment: what a reader decodes. */
  public record View(byte[] bytes, int bits, int count, long firstT, long lastT) {
    static final View EMPTY = new View(new byte[0], 0, 0, Long.MAX_VALUE, Long.MIN_VALUE);

    /** A reader of the view's samples, oldest first. */
    public Reader reader() {
      return new Reader(bytes, count);
    }
  }

  public XorChunk() {
    this(64);
  }

  public XorChunk(int initialBytes) {
    bytes = new byte[Math.max(16, initialBytes)];
  }

  /**
   * Appends a sample; its timestamp must be later than the last one's.
   *
   * @throws IllegalArgumentException if it is not
   */
  public void append(long t, double v) {
    long raw = Double.doubleToRawLongBits(v);
    if (count == 0) {
      writeBits(t, 64);
      writeBits(raw, 64);
      lastT = t;
      lastV = raw;
      count = 1;
      return;
    }
    if (t <= lastT) {
      throw new IllegalArgumentException("sample at " + t + " not after " + lastT);
    }
    long delta = t - lastT;
    long dod = delta - lastDelta;
    if (dod == 0) {
      writeBit(0);
    } else if (dod >= -8191 && dod <= 8192) {
      writeBits(0b10, 2);
      writeBits(dod, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      writeBits(0b110, 3);
      writeBits(dod, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      writeBits(0b1110, 4);
      writeBits(dod, 20);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
    writeValue(raw);
    lastDelta = delta;
    lastT = t;
    lastV = raw;
    count++;
  }

  private void writeValue(long raw) {
    long x = raw ^ lastV;
    if (x == 0) {
      writeBit(0);
      return;
    }
    writeBit(1);
    int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
    int trail = Long.numberOfTrailingZeros(x);
    if (leading >= 0 && lead >= leading && trail >= trailing) {
      writeBit(0);
      writeBits(x >>> trailing, 64 - leading - trailing);
      return;
    }
    int significant = 64 - lead - trail;
    writeBit(1);
    writeBits(lead, 5);
    writeBits(significant & 63, 6); // 64 as 0
    writeBits(x >>> trail, significant);
    leading = lead;
    trailing = trail;
  }

  /** What was appended so far, for readers; called after an append. */
  public View publish() {
    return count == 0 ? View.EMPTY : new View(bytes, bits, count, firstT(), lastT);
  }

  public int count() {
    return count;
  }

  public long lastTime() {
    return lastT;
  }

  /** The bytes of the samples, trimmed, for a block. */
  public byte[] toBytes() {
    return Arrays.copyOf(bytes, (bits + 7) / 8);
  }

  /** Heap bytes held. */
  public long retainedBytes() {
    return bytes.length + 64L;
  }

  private long firstT() {
    long t = 0;
    for (int i = 0; i < 8; i++) {
      t = (t << 8) | (bytes[i] & 0xff);
    }
    return t;
  }

  private void writeBit(int bit) {
    ensure(1);
    if (bit != 0) {
      bytes[bits >>> 3] |= (byte) (0x80 >>> (bits & 7));
    }
    bits++;
  }

  private void writeBits(long value, int n) {
    ensure(n);
    for (int i = n - 1; i >= 0; ) {
      int free = 8 - (bits & 7); // bits left in the current byte
      int take = Math.min(free, i + 1);
      int chunk = (int) ((value >>> (i + 1 - take)) & ((1 << take) - 1));
      bytes[bits >>> 3] |= (byte) (chunk << (free - take));
      bits += take;
      i -= take;
    }
  }

  private void ensure(int more) {
    int need = (bits + more + 7) >>> 3;
    if (need > bytes.length) {
      // a copy: a published view keeps the old array, which is never written again
      bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length + (bytes.length >> 1)));
    }
  }

  /** Decodes samples one by one. Not thread-safe. */
  public static final class Reader {
    private final byte[] bytes;
    private final int count;
    private int read;
    private int pos;
    private long t;
    private long delta;
    private long v;
    private int leading;
    private int trailing;

    public Reader(byte[] bytes, int count) {
      this.bytes = bytes;
      this.count = count;
    }

    /** Moves to the next sample; false when there is none. */
    public boolean next() {
      if (read >= count) {
        return false;
      }
      if (read == 0) {
        t = readBits(64);
        v = readBits(64);
      } else {
        long dod;
        if (readBit() == 0) {
          dod = 0;
        } else if (readBit() == 0) {
          dod = signed(readBits(14), 14);
        } else if (readBit() == 0) {
          dod = signed(readBits(17), 17);
        } else if (readBit() == 0) {
          dod = signed(readBits(20), 20);
        } else {
          dod = readBits(64);
        }
        delta += dod;
        t += delta;
        if (readBit() == 1) {
          if (readBit() == 1) {
            leading = (int) readBits(5);
            int significant = (int) readBits(6);
            if (significant == 0) {
              significant = 64;
            }
            trailing = 64 - leading - significant;
          }
          int significant = 64 - leading - trailing;
          v ^= readBits(significant) << trailing;
        }
      }
      read++;
      return true;
    }

    public long time() {
      return t;
    }

    public double value() {
      return Double.longBitsToDouble(v);
    }

    private static long signed(long value, int n) {
      // values were written in n bits two's complement; 2^(n-1) itself stands for itself
      return value > (1L << (n - 1)) ? value - (1L << n) : value;
    }

    private int readBit() {
      int bit = (bytes[pos >>> 3] >>> (7 - (pos & 7))) & 1;
      pos++;
      return bit;
    }

    private long readBits(int n) {
      long out = 0;
      int left = n;
      while (left > 0) {
        int free = 8 - (pos & 7);
        int take = Math.min(free, left);
        int b = (bytes[pos >>> 3] & 0xff) >>> (free - take);
        out = (out << take) | (b & ((1 << take) - 1));
        pos += take;
        left -= take;
      }
      return out;
    }
  }
}
