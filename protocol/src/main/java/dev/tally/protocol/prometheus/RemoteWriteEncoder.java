package dev.tally.protocol.prometheus;

import dev.tally.protocol.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes the samples of Prometheus remote write 1.0: {@code TimeSeries} messages (field 1 of a
 * {@code WriteRequest}), one per sample, each with its labels sorted by name ({@code __name__}
 * among them) and one {@code Sample}. Since protobuf concatenates repeated fields, the bytes of two
 * encoders one after the other are a request holding both: a request is any sequence of these
 * pieces, snappy-compressed by the sender.
 *
 * <p>Written by hand into one growing array rather than through generated message classes: a
 * builder per label and sample would allocate tens of objects per sample. Not thread-safe.
 */
public final class RemoteWriteEncoder {
  /** The value Prometheus marks a series stale with: a NaN no arithmetic produces. */
  public static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

  private static final String NAME_TEXT = "__name__";
  private static final byte[] NAME = NAME_TEXT.getBytes(StandardCharsets.US_ASCII);
  private static final String[] NO_NAMES = new String[0];
  private static final byte[][] NO_BYTES = new byte[0][];

  private byte[] buf;
  private int size;
  private int samples;
  // the current series' labels: names, and each as an encoded TimeSeries.labels entry
  private String[] names = NO_NAMES;
  private byte[][] labels = NO_BYTES;
  private int labelCount;

  public RemoteWriteEncoder(int initialBytes) {
    this.buf = new byte[Math.max(64, initialBytes)];
  }

  /** Makes {@code key}'s labels those of the samples that follow. */
  public RemoteWriteEncoder series(SeriesKey key) {
    int n = key.labelCount();
    if (names.length < n) {
      names = new String[n];
      labels = new byte[n][];
    }
    for (int i = 0; i < n; i++) {
      names[i] = key.labelName(i);
      labels[i] = labelEntry(utf8(key.labelName(i)), utf8(key.labelValue(i)));
    }
    labelCount = n;
    return this;
  }

  /**
   * Appends a sample of the current series.
   *
   * @param name the sample's metric name
   * @param extraName a label the sample adds ({@code le}, {@code quantile}; a series' own label of
   *     that name is {@code exported_le}, see {@link SeriesKey}); null for none
   * @param millis the timestamp, epoch milliseconds
   */
  public void sample(String name, String extraName, String extraValue, double value, long millis) {
    byte[] nameLabel = labelEntry(NAME, utf8(name));
    byte[] extraLabel = extraName == null ? null : labelEntry(utf8(extraName), utf8(extraValue));
    int sampleBody = 1 + 8 + 1 + varintSize(millis);
    int body = nameLabel.length + (extraLabel == null ? 0 : extraLabel.length);
    for (int i = 0; i < labelCount; i++) {
      body += labels[i].length;
    }
    body += 1 + varintSize(sampleBody) + sampleBody;
    ensure(1 + 5 + body);
    buf[size++] = 0x0A; // WriteRequest.timeseries
    writeVarint(body);
    // the sample's own labels in name order, merged into the series' (sorted) ones
    String firstName = NAME_TEXT;
    byte[] first = nameLabel;
    String secondName = extraName;
    byte[] second = extraLabel;
    if (extraLabel != null && extraName.compareTo(NAME_TEXT) < 0) {
      firstName = extraName;
      first = extraLabel;
      secondName = NAME_TEXT;
      second = nameLabel;
    }
    int own = extraLabel == null ? 1 : 2;
    int written = 0;
    for (int i = 0; i < labelCount; i++) {
      String label = names[i];
      if (written == 0 && firstName.compareTo(label) <= 0) {
        write(first);
        written++;
      }
      if (written == 1 && own == 2 && secondName.compareTo(label) <= 0) {
        write(second);
        written++;
      }
      write(labels[i]);
    }
    if (written == 0) {
      write(first);
      written++;
    }
    if (written == 1 && own == 2) {
      write(second);
    }
    buf[size++] = 0x12; // TimeSeries.samples
    writeVarint(sampleBody);
    buf[size++] = 0x09; // Sample.value, fixed64
    long bits = Double.doubleToRawLongBits(value);
    for (int b = 0; b < 8; b++) {
      buf[size++] = (byte) (bits >>> (8 * b));
    }
    buf[size++] = 0x10; // Sample.timestamp, varint
    writeVarint(millis);
    samples++;
  }

  /** Samples appended since the last {@link #reset}. */
  public int samples() {
    return samples;
  }

  /** Bytes appended since the last {@link #reset}. */
  public int size() {
    return size;
  }

  /** The bytes appended: a {@code WriteRequest} of the samples, uncompressed. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** The array that holds the bytes (valid up to {@link #size}) until the next append. */
  public byte[] array() {
    return buf;
  }

  /** Empties the encoder, keeping its array and its series. */
  public void reset() {
    size = 0;
    samples = 0;
  }

  private static byte[] utf8(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8);
      }
    }
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) s.charAt(i);
    }
    return out;
  }

  /** A {@code TimeSeries.labels} entry: tag, length, {@code Label{name, value}}. */
  private static byte[] labelEntry(byte[] name, byte[] value) {
    int body =
        1 + varintSize(name.length) + name.length + 1 + varintSize(value.length) + value.length;
    byte[] out = new byte[1 + varintSize(body) + body];
    int at = 0;
    out[at++] = 0x0A;
    at = putVarint(out, at, body);
    out[at++] = 0x0A;
    at = putVarint(out, at, name.length);
    System.arraycopy(name, 0, out, at, name.length);
    at += name.length;
    out[at++] = 0x12;
    at = putVarint(out, at, value.length);
    System.arraycopy(value, 0, out, at, value.length);
    return out;
  }

  private void write(byte[] bytes) {
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  private void writeVarint(long v) {
    size = putVarint(buf, size, v);
  }

  private static int putVarint(byte[] out, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      out[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }

  private static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      n++;
      v >>>= 7;
    }
    return n;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
