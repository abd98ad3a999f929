package dev.tally.verticles.bus;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.aggregate.DeltaBatch;
import dev.tally.verticles.aggregate.SeriesDelta;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
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
  static final byte VERSION = 2;
  static final byte SPARSE = 0;
  static final byte COMPRESSED = 1;

  @Override
  public void encodeToWire(Buffer buffer, DeltaBatch batch) {
    int start = buffer.length();
    buffer.appendInt(0); // the length, set at the end
    buffer.appendByte(VERSION);
    Wire.string(buffer, batch.from());
    buffer.appendLong(batch.tickMillis());
    buffer.appendInt(batch.deltas().size());
    for (SeriesDelta d : batch.deltas()) {
      SeriesKey key = d.key();
      Wire.key(buffer, key);
      Wire.optional(buffer, d.help());
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
          Wire.longs(buffer, d.members());
          break;
        default: // TIMER, DISTRIBUTION
          buffer
              .appendDouble(d.count())
              .appendDouble(d.sum())
              .appendDouble(d.min())
              .appendDouble(d.max());
          if (d.histogram() == null) { // a few values: listed
            buffer.appendByte(SPARSE);
            Wire.longs(buffer, d.values());
            Wire.longs(buffer, d.valueCounts());
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
    String from = Wire.string(buffer, at);
    long tick = Wire.getLong(buffer, at);
    int n = Wire.length(buffer, at, 1);
    List<SeriesDelta> deltas = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      SeriesKey key = Wire.key(buffer, at);
      String help = Wire.optional(buffer, at);
      switch (key.kind()) {
        case COUNTER:
          deltas.add(SeriesDelta.counter(key, help, Wire.getDouble(buffer, at)));
          break;
        case GAUGE:
          double value = Wire.getDouble(buffer, at);
          long time = Wire.getLong(buffer, at);
          deltas.add(
              buffer.getByte(at[0]++) == 1
                  ? SeriesDelta.gaugeAdjustment(key, help, value, time)
                  : SeriesDelta.gauge(key, help, value, time));
          break;
        case SET:
          deltas.add(SeriesDelta.set(key, present(Wire.longs(buffer, at))));
          break;
        default:
          double count = Wire.getDouble(buffer, at);
          double sum = Wire.getDouble(buffer, at);
          double min = Wire.getDouble(buffer, at);
          double max = Wire.getDouble(buffer, at);
          byte form = buffer.getByte(at[0]++);
          if (form == SPARSE) {
            long[] values = present(Wire.longs(buffer, at));
            long[] counts = present(Wire.longs(buffer, at));
            if (counts.length != values.length) {
              throw new IllegalStateException(
                  values.length + " values with " + counts.length + " counts");
            }
            deltas.add(
                SeriesDelta.sparseHistogram(key, help, values, counts, count, sum, min, max));
            break;
          }
          int len = Wire.length(buffer, at, 1);
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

  private static long[] present(long[] values) {
    if (values == null) {
      throw new IllegalStateException("a missing array in a delta batch");
    }
    return values;
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
}
