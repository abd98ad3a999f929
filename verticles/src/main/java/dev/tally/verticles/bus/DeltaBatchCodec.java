package dev.tally.verticles.bus;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.aggregate.DeltaBatch;
import dev.tally.verticles.aggregate.SeriesDelta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.PackedHistogram;

/**
 * The wire form of a {@link DeltaBatch} on the clustered event bus: compact binary, histograms in
 * HdrHistogram's compressed encoding (or, for a few values, the values and their counts). Strings
 * are UTF-8 with an int length; a key is its kind code, name and label pairs as they are (already
 * canonical). Local sends pass the batch as it is.
 */
public final class DeltaBatchCodec implements MessageCodec<DeltaBatch, DeltaBatch> {
  public static final String NAME = "tally-delta-batch";
  static final byte VERSION = 1;
  static final byte SPARSE = 0;
  static final byte COMPRESSED = 1;

  @Override
  public void encodeToWire(Buffer buffer, DeltaBatch batch) {
    int start = buffer.length();
    buffer.appendInt(0); // the length, set at the end
    buffer.appendByte(VERSION);
    string(buffer, batch.from());
    buffer.appendLong(batch.tickMillis());
    buffer.appendInt(batch.deltas().size());
    for (SeriesDelta d : batch.deltas()) {
      SeriesKey key = d.key();
      buffer.appendByte(key.kind().code());
      string(buffer, key.name());
      buffer.appendInt(key.labelCount());
      for (int i = 0; i < key.labelCount(); i++) {
        string(buffer, key.labelName(i));
        string(buffer, key.labelValue(i));
      }
      string(buffer, d.help() == null ? "" : d.help());
      switch (key.kind()) {
        case COUNTER:
          buffer.appendDouble(d.value());
          break;
        case GAUGE:
          buffer
              .appendDouble(d.value())
              .appendLong(d.timeMillis())
              .appendByte((byte) (d.adjustment() ? 1 : 0));
          break;
        case SET:
          buffer.appendInt(d.members().length);
          for (long m : d.members()) {
            buffer.appendLong(m);
          }
          break;
        default: // TIMER, DISTRIBUTION
          buffer
              .appendDouble(d.count())
              .appendDouble(d.sum())
              .appendDouble(d.min())
              .appendDouble(d.max());
          if (d.histogram() == null) { // a few values: listed
            buffer.appendByte(SPARSE).appendInt(d.values().length);
            for (int i = 0; i < d.values().length; i++) {
              buffer.appendLong(d.values()[i]).appendLong(d.valueCounts()[i]);
            }
          } else {
            ByteBuffer h = ByteBuffer.allocate(d.histogram().getNeededByteBufferCapacity());
            int n = d.histogram().encodeIntoCompressedByteBuffer(h, 1);
            buffer.appendByte(COMPRESSED).appendInt(n).appendBytes(h.array(), 0, n);
          }
      }
    }
    buffer.setInt(start, buffer.length() - start - 4);
  }

  @Override
  public DeltaBatch decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos + 4};
    byte version = buffer.getByte(at[0]++);
    if (version != VERSION) {
      throw new IllegalStateException("delta batch version " + version + ", expected " + VERSION);
    }
    String from = string(buffer, at);
    long tick = buffer.getLong(at[0]);
    at[0] += 8;
    int n = length(buffer, at[0], 1);
    at[0] += 4;
    List<SeriesDelta> deltas = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      MetricKind kind = MetricKind.ofCode(buffer.getByte(at[0]++));
      String name = string(buffer, at);
      int labels = length(buffer, at[0], 8);
      at[0] += 4;
      List<String> pairs = new ArrayList<>(2 * labels);
      for (int i = 0; i < 2 * labels; i++) {
        pairs.add(string(buffer, at));
      }
      SeriesKey key = SeriesKey.of(kind, name, pairs);
      String help = string(buffer, at);
      help = help.isEmpty() ? null : help;
      switch (kind) {
        case COUNTER:
          deltas.add(SeriesDelta.counter(key, help, buffer.getDouble(at[0])));
          at[0] += 8;
          break;
        case GAUGE:
          double value = buffer.getDouble(at[0]);
          long time = buffer.getLong(at[0] + 8);
          deltas.add(
              buffer.getByte(at[0] + 16) == 1
                  ? SeriesDelta.gaugeAdjustment(key, help, value, time)
                  : SeriesDelta.gauge(key, help, value, time));
          at[0] += 17;
          break;
        case SET:
          int members = length(buffer, at[0], 8);
          at[0] += 4;
          long[] m = new long[members];
          for (int i = 0; i < members; i++, at[0] += 8) {
            m[i] = buffer.getLong(at[0]);
          }
          deltas.add(SeriesDelta.set(key, m));
          break;
        default:
          double count = buffer.getDouble(at[0]);
          double sum = buffer.getDouble(at[0] + 8);
          double min = buffer.getDouble(at[0] + 16);
          double max = buffer.getDouble(at[0] + 24);
          byte form = buffer.getByte(at[0] + 32);
          int len = length(buffer, at[0] + 33, form == SPARSE ? 16 : 1);
          at[0] += 37;
          if (form == SPARSE) {
            long[] values = new long[len];
            long[] counts = new long[len];
            for (int i = 0; i < len; i++, at[0] += 16) {
              values[i] = buffer.getLong(at[0]);
              counts[i] = buffer.getLong(at[0] + 8);
            }
            deltas.add(
                SeriesDelta.sparseHistogram(key, help, values, counts, count, sum, min, max));
            break;
          }
          PackedHistogram h;
          try {
            h =
                PackedHistogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(buffer.getBytes(at[0], at[0] + len)), 0);
          } catch (DataFormatException e) {
            throw new IllegalStateException("bad histogram in a delta batch", e);
          }
          at[0] += len;
          deltas.add(SeriesDelta.histogram(key, help, h, count, sum, min, max));
      }
    }
    return new DeltaBatch(from, tick, deltas);
  }

  @Override
  public DeltaBatch transform(DeltaBatch batch) {
    return batch; // immutable
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void string(Buffer buffer, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(b.length).appendBytes(b);
  }

  /** A length read from the wire, checked against what is left: a bad message fails, not OOMs. */
  private static int length(Buffer buffer, int at, int unit) {
    int len = buffer.getInt(at);
    if (len < 0 || (long) len * unit > buffer.length() - at - 4) {
      throw new IllegalStateException("bad length " + len + " at " + at + " in a delta batch");
    }
    return len;
  }

  private static String string(Buffer buffer, int[] at) {
    int len = length(buffer, at[0], 1);
    String s = buffer.getString(at[0] + 4, at[0] + 4 + len, "UTF-8");
    at[0] += 4 + len;
    return s;
  }
}
