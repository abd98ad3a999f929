package dev.tally.verticles.cluster;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.DistributionPoint;
import dev.tally.protocol.otlp.ExponentialHistogramPoint;
import dev.tally.protocol.otlp.HistogramPoint;
import dev.tally.protocol.otlp.NumberPoint;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.SummaryPoint;
import dev.tally.verticles.bus.Wire;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;

/**
 * The wire form of a {@link DeltaBatch} on the clustered event bus: compact binary, histograms in
 * HdrHistogram's compressed encoding (or, for a few values, the values and their counts), OTLP
 * points with their values only (the key and help once per series). Strings are UTF-8 with an int
 * length; a key is its kind code, name and label pairs as they are (already canonical). Local sends
 * pass the batch as it is.
 */
public final class DeltaBatchCodec implements MessageCodec<DeltaBatch, DeltaBatch> {
  public static final String NAME = "tally-delta-batch";
  static final byte VERSION = 3;
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
      if (key.kind().isOtlp()) {
        points(buffer, d.points());
        continue;
      }
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
    Wire.version(buffer, at, VERSION, "delta batch");
    String from = Wire.string(buffer, at);
    long tick = Wire.getLong(buffer, at);
    int n = Wire.length(buffer, at, 1);
    List<SeriesDelta> deltas = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      SeriesKey key = Wire.key(buffer, at);
      String help = Wire.optional(buffer, at);
      if (key.kind().isOtlp()) {
        deltas.add(SeriesDelta.points(key, help, points(buffer, at, key, help)));
        continue;
      }
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
          deltas.add(SeriesDelta.set(key, Wire.requiredLongs(buffer, at)));
          break;
        default:
          double count = Wire.getDouble(buffer, at);
          double sum = Wire.getDouble(buffer, at);
          double min = Wire.getDouble(buffer, at);
          double max = Wire.getDouble(buffer, at);
          byte form = buffer.getByte(at[0]++);
          if (form != SPARSE && form != COMPRESSED) {
            throw new IllegalStateException("histogram form " + form);
          }
          if (form == SPARSE) {
            long[] values = Wire.requiredLongs(buffer, at);
            long[] counts = Wire.requiredLongs(buffer, at);
            if (counts.length != values.length) {
              throw new IllegalStateException(
                  values.length + " values with " + counts.length + " counts");
            }
            deltas.add(
                SeriesDelta.sparseHistogram(key, help, values, counts, count, sum, min, max));
            break;
          }
          int len = Wire.length(buffer, at, 1);
          Histogram h;
          try {
            byte[] compressed = buffer.getBytes(at[0], at[0] + len);
            checkHeader(compressed);
            h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(compressed), 0);
          } catch (DataFormatException e) {
            throw new IllegalStateException("bad histogram in a delta batch", e);
          }
          at[0] += len;
          deltas.add(SeriesDelta.histogram(key, help, h, count, sum, min, max));
      }
    }
    if (at[0] != pos + 4 + buffer.getInt(pos)) {
      throw new IllegalStateException("a delta batch ends at " + at[0] + ", not where it said");
    }
    return new DeltaBatch(from, tick, deltas);
  }

  /**
   * An OTLP series' points: their count, then each point's start and time, and its values by the
   * series' kind (the points are of the series' kind; their key and help are the delta's).
   */
  private static void points(Buffer buffer, List<OtlpPoint> points) {
    buffer.appendInt(points.size());
    for (OtlpPoint p : points) {
      buffer.appendLong(p.startNanos()).appendLong(p.timeNanos());
      if (p instanceof NumberPoint) {
        NumberPoint n = (NumberPoint) p;
        buffer.appendDouble(n.value()).appendByte((byte) (n.delta() ? 1 : 0));
      } else if (p instanceof SummaryPoint) {
        SummaryPoint q = (SummaryPoint) p;
        buffer.appendLong(q.count()).appendDouble(q.sum());
        Wire.doubles(buffer, q.quantiles());
        Wire.doubles(buffer, q.values());
      } else {
        DistributionPoint h = (DistributionPoint) p;
        buffer.appendByte((byte) (h.delta() ? 1 : 0)).appendLong(h.count()).appendDouble(h.sum());
        if (h instanceof HistogramPoint) {
          Wire.doubles(buffer, ((HistogramPoint) h).bounds());
          Wire.longs(buffer, ((HistogramPoint) h).bucketCounts());
        } else {
          ExponentialHistogramPoint e = (ExponentialHistogramPoint) h;
          buffer.appendInt(e.scale()).appendLong(e.zeroCount()).appendInt(e.positiveOffset());
          Wire.longs(buffer, e.positive());
          buffer.appendInt(e.negativeOffset());
          Wire.longs(buffer, e.negative());
        }
      }
    }
  }

  private static List<OtlpPoint> points(Buffer buffer, int[] at, SeriesKey key, String help) {
    int n = Wire.length(buffer, at, 16);
    if (n == 0) {
      throw new IllegalStateException("no points for " + key);
    }
    String h = help == null ? "" : help;
    List<OtlpPoint> points = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long start = Wire.getLong(buffer, at);
      long time = Wire.getLong(buffer, at);
      switch (key.kind()) {
        case OTLP_COUNTER:
        case OTLP_GAUGE:
          double value = Wire.getDouble(buffer, at);
          points.add(new NumberPoint(key, h, start, time, value, buffer.getByte(at[0]++) == 1));
          break;
        case OTLP_SUMMARY:
          long count = Wire.getLong(buffer, at);
          double sum = Wire.getDouble(buffer, at);
          double[] quantiles = Wire.requiredDoubles(buffer, at);
          double[] values = Wire.requiredDoubles(buffer, at);
          if (values.length != quantiles.length) {
            throw new IllegalStateException(quantiles.length + " quantiles, " + values.length);
          }
          points.add(new SummaryPoint(key, h, start, time, count, sum, quantiles, values));
          break;
        case OTLP_HISTOGRAM:
        case OTLP_EXPONENTIAL_HISTOGRAM:
          boolean delta = buffer.getByte(at[0]++) == 1;
          long hCount = Wire.getLong(buffer, at);
          double hSum = Wire.getDouble(buffer, at);
          if (key.kind() == MetricKind.OTLP_HISTOGRAM) {
            double[] bounds = Wire.requiredDoubles(buffer, at);
            long[] counts = Wire.requiredLongs(buffer, at);
            if (counts.length != bounds.length + 1) {
              throw new IllegalStateException(bounds.length + " bounds, " + counts.length);
            }
            points.add(
                new HistogramPoint(key, h, start, time, delta, hCount, hSum, bounds, counts));
            break;
          }
          int scale = Wire.getInt(buffer, at);
          long zero = Wire.getLong(buffer, at);
          int positiveOffset = Wire.getInt(buffer, at);
          long[] positive = Wire.requiredLongs(buffer, at);
          int negativeOffset = Wire.getInt(buffer, at);
          long[] negative = Wire.requiredLongs(buffer, at);
          points.add(
              new ExponentialHistogramPoint(
                  key,
                  h,
                  start,
                  time,
                  delta,
                  hCount,
                  hSum,
                  scale,
                  zero,
                  positiveOffset,
                  positive,
                  negativeOffset,
                  negative));
          break;
        default:
          throw new IllegalStateException("points of a " + key.kind() + " series");
      }
    }
    return points;
  }

  /**
   * Checks what a compressed HdrHistogram says of itself before it is decoded into a plain {@code
   * Histogram}, which allocates its whole range at once: at most {@link SeriesDelta#MAX_DIGITS}
   * significant digits and a highest trackable value of at most {@link SeriesDelta#MAX_HIGHEST},
   * the most a gateway's settings make (about 250 KB). A few bytes claiming more are refused
   * instead of allocating tens of MB.
   */
  static void checkHeader(byte[] compressed) throws DataFormatException {
    // the compressed form: a cookie and a length (8 bytes), then the deflated plain encoding, whose
    // header is a cookie, a payload length, an index offset, the digits (at 12), the lowest (at
    // 16) and highest (at 24) trackable values
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed, 8, Math.max(0, compressed.length - 8));
      byte[] header = new byte[32];
      int n = 0;
      while (n < header.length && !inflater.finished() && !inflater.needsInput()) {
        n += inflater.inflate(header, n, header.length - n);
      }
      ByteBuffer b = ByteBuffer.wrap(header);
      if (n < header.length
          || b.getInt(12) < 1
          || b.getInt(12) > SeriesDelta.MAX_DIGITS
          || b.getLong(24) > SeriesDelta.MAX_HIGHEST
          || b.getLong(24) < 2) {
        throw new IllegalStateException("a histogram beyond a gateway's range in a delta batch");
      }
    } finally {
      inflater.end();
    }
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
