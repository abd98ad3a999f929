package dev.tally.protocol.statsd;

import dev.tally.protocol.model.Hashes;
import dev.tally.protocol.model.LabelLimits;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.Names;
import dev.tally.protocol.model.RejectReason;
import io.vertx.core.buffer.Buffer;

/**
 * Parses StatsD and DogStatsD datagrams: {@code
 * name:value[:value...]|type[|@rate][|#tag:val,tag2][|c:container][|T<unix-seconds>]}, several
 * lines per packet, plus events ({@code _e{..}}) and service checks ({@code _sc|..}).
 *
 * <p>Never throws on input: a bad line is skipped up to the next {@code \n}, counted in {@link
 * ParseStats} by {@link RejectReason} and handed to {@link StatsdSink#rejected}; parsing goes on.
 * Unknown {@code |x} fields of a metric line are ignored, as the Datadog agent does.
 *
 * <p>Not thread-safe: one parser per thread (event loop). It allocates nothing per line.
 */
public final class StatsdLineParser {
  /**
   * The smallest sample rate taken: one in a million. A sample counts as {@code 1/rate} events, so
   * a smaller (or subnormal) rate would let one line add astronomically, or infinitely, much.
   */
  public static final double MIN_SAMPLE_RATE = 1e-6;

  private final int maxLineLength;
  private final LabelLimits limits;
  private final ParseStats stats = new ParseStats();
  private final StatsdSample sample = new StatsdSample();
  private double[] values = new double[8];
  private int[] valueBounds = new int[16];
  private int valueCount;
  private int tagsHash;

  public StatsdLineParser(StatsdParserOptions options) {
    StatsdParserOptions copy = new StatsdParserOptions(options);
    this.maxLineLength = copy.getMaxLineLength();
    this.limits = copy.getLabelLimits();
  }

  /** This parser's counts; read and drain them on the parsing thread. */
  public ParseStats stats() {
    return stats;
  }

  /** Parses a whole datagram held in a Vert.x buffer. */
  public void parse(Buffer packet, StatsdSink sink) {
    byte[] bytes = packet.getBytes();
    parse(bytes, 0, bytes.length, sink);
  }

  /** Parses the datagram {@code bytes[from, to)}. */
  public void parse(byte[] bytes, int from, int to, StatsdSink sink) {
    int i = from;
    while (i < to) {
      int eol = indexOf(bytes, (byte) '\n', i, to);
      int lineEnd = eol;
      if (lineEnd > i && bytes[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      if (lineEnd > i) {
        if (lineEnd - i > maxLineLength) {
          reject(RejectReason.LINE_TOO_LONG, bytes, i, lineEnd, sink);
        } else {
          parseLine(bytes, i, lineEnd, sink);
        }
      }
      i = eol + 1;
    }
  }

  /**
   * Counts {@code bytes[from, to)}, the cut-off end of an over-long datagram, as one {@code
   * packet_too_long} line.
   */
  public void rejectTruncated(byte[] bytes, int from, int to, StatsdSink sink) {
    reject(RejectReason.PACKET_TOO_LONG, bytes, from, to, sink);
  }

  private void parseLine(byte[] b, int from, int to, StatsdSink sink) {
    if (b[from] == '_' && to - from > 3) {
      if (b[from + 1] == 'e' && b[from + 2] == '{') {
        parseEvent(b, from, to, sink);
        return;
      }
      if (b[from + 1] == 's' && b[from + 2] == 'c' && b[from + 3] == '|') {
        parseServiceCheck(b, from, to, sink);
        return;
      }
    }
    int colon = from;
    while (colon < to && b[colon] != ':' && b[colon] != '|') {
      colon++;
    }
    if (colon == from) {
      reject(
          colon < to && b[colon] == ':' ? RejectReason.EMPTY_NAME : RejectReason.NO_VALUE,
          b,
          from,
          to,
          sink);
      return;
    }
    if (colon == to || b[colon] != ':') {
      reject(RejectReason.NO_VALUE, b, from, to, sink);
      return;
    }
    int pipe = indexOf(b, (byte) '|', colon + 1, to);
    if (pipe == to) {
      reject(RejectReason.NO_TYPE, b, from, to, sink);
      return;
    }
    if (pipe == colon + 1) {
      reject(RejectReason.NO_VALUE, b, from, to, sink);
      return;
    }
    int typeEnd = indexOf(b, (byte) '|', pipe + 1, to);
    MetricKind kind = kind(b, pipe + 1, typeEnd);
    if (kind == null) {
      reject(RejectReason.BAD_TYPE, b, from, to, sink);
      return;
    }
    RejectReason bad = fields(b, typeEnd, to);
    if (bad == null) {
      bad = keyLength(colon - from);
    }
    if (bad == null) {
      bad = values(b, colon + 1, pipe, kind);
    }
    if (bad != null) {
      reject(bad, b, from, to, sink);
      return;
    }
    emit(b, from, colon, kind, sink);
  }

  /** Reads the optional fields after the type into {@link #sample}; null if all are valid. */
  private RejectReason fields(byte[] b, int at, int to) {
    StatsdSample s = sample;
    s.rate = 1;
    s.tagsFrom = s.tagsTo = s.containerFrom = s.containerTo = at;
    tagsHash = 0;
    int i = at;
    while (i < to) {
      int from = i + 1; // skip '|'
      int end = indexOf(b, (byte) '|', from, to);
      if (end > from) {
        byte first = b[from];
        if (first == '@') {
          double rate = Decimals.parse(b, from + 1, end);
          if (!(rate >= MIN_SAMPLE_RATE && rate <= 1)) {
            return RejectReason.BAD_SAMPLE_RATE;
          }
          s.rate = rate;
        } else if (first == '#') {
          // one pass checks the tags and their limits and sums their hashes (StatsdKeys.tagHash)
          int sum = 0;
          int count = 0;
          for (int t = from + 1; t < end; ) {
            int comma = indexOf(b, (byte) ',', t, end);
            if (comma > t) {
              if (b[t] == ':') {
                return RejectReason.BAD_TAGS;
              }
              int valueFrom = indexOf(b, (byte) ':', t, comma) + 1;
              if (++count > limits.maxLabels()
                  || (valueFrom < comma && comma - valueFrom > limits.maxValueLength())) {
                return RejectReason.LABEL_LIMITS;
              }
              sum += StatsdKeys.tagHash(b, t, comma);
            }
            t = comma + 1;
          }
          tagsHash = sum;
          s.tagsFrom = from + 1;
          s.tagsTo = end;
        } else if (first == 'c' && end > from + 1 && b[from + 1] == ':') {
          s.containerFrom = from + 2;
          s.containerTo = end;
        } else if (first == 'T') {
          if (Decimals.parseLong(b, from + 1, end) < 0) {
            return RejectReason.BAD_TIMESTAMP;
          }
        }
      }
      i = end;
    }
    return null;
  }

  /** The series key's length (name, tags, container id) against the limit; null if within. */
  private RejectReason keyLength(int nameLength) {
    StatsdSample s = sample;
    long length = nameLength + (s.tagsTo - s.tagsFrom) + (s.containerTo - s.containerFrom);
    return length > limits.maxKeyLength() ? RejectReason.LABEL_LIMITS : null;
  }

  /** Parses every value of the line before any is emitted, so that a bad one rejects the line. */
  private RejectReason values(byte[] b, int from, int to, MetricKind kind) {
    int n = 0;
    int i = from;
    while (i <= to) {
      int end = indexOf(b, (byte) ':', i, to);
      if (end == i) {
        return RejectReason.NO_VALUE;
      }
      if (n == values.length) {
        values = java.util.Arrays.copyOf(values, n * 2);
        valueBounds = java.util.Arrays.copyOf(valueBounds, n * 4);
      }
      valueBounds[2 * n] = i;
      valueBounds[2 * n + 1] = end;
      if (kind != MetricKind.SET) {
        double v = Decimals.parse(b, i, end);
        if (Double.isNaN(v) || !Double.isFinite(v / sample.rate)) {
          return RejectReason.BAD_VALUE; // not a number, or beyond a double once scaled by 1/rate
        }
        if (kind == MetricKind.COUNTER && v < 0) {
          return RejectReason.NEGATIVE_COUNTER;
        }
        values[n] = v;
      }
      n++;
      i = end + 1;
    }
    valueCount = n;
    return null;
  }

  private void emit(byte[] b, int from, int nameTo, MetricKind kind, StatsdSink sink) {
    StatsdSample s = sample;
    s.bytes = b;
    s.nameFrom = from;
    s.nameTo = nameTo;
    s.kind = kind;
    s.routingHash = routingHash(b, from, nameTo, kind);
    s.line++;
    for (int k = 0; k < valueCount; k++) {
      int vFrom = valueBounds[2 * k];
      if (kind == MetricKind.SET) {
        s.memberFrom = vFrom;
        s.memberTo = valueBounds[2 * k + 1];
        s.value = 0;
        s.delta = false;
      } else {
        s.memberFrom = s.memberTo = vFrom;
        s.value = values[k];
        s.delta = kind == MetricKind.GAUGE && (b[vFrom] == '+' || b[vFrom] == '-');
      }
      sink.sample(s);
    }
    stats.accept(valueCount);
  }

  /** The hash of the canonical identity; see {@link StatsdSample#routingHash()}. */
  private int routingHash(byte[] b, int nameFrom, int nameTo, MetricKind kind) {
    StatsdSample s = sample;
    int h = Names.hashSanitized(b, nameFrom, nameTo, StatsdKeys.routingCode(kind), false);
    int tags = tagsHash;
    if (s.containerTo > s.containerFrom) {
      tags +=
          StatsdKeys.pairHash(StatsdKeys.CONTAINER_LABEL_HASH, b, s.containerFrom, s.containerTo);
    }
    return Hashes.mix(31 * h + tags);
  }

  private static MetricKind kind(byte[] b, int from, int to) {
    int len = to - from;
    if (len == 1) {
      switch (b[from]) {
        case 'c':
          return MetricKind.COUNTER;
        case 'g':
          return MetricKind.GAUGE;
        case 's':
          return MetricKind.SET;
        case 'h':
        case 'd':
          return MetricKind.DISTRIBUTION;
        default:
          return null;
      }
    }
    if (len == 2 && b[from] == 'm' && b[from + 1] == 's') {
      return MetricKind.TIMER;
    }
    return null;
  }

  /** {@code _e{<title length>,<text length>}:<title>|<text>[|...]}, lengths in bytes. */
  private void parseEvent(byte[] b, int from, int to, StatsdSink sink) {
    int comma = indexOf(b, (byte) ',', from + 3, to);
    int close = indexOf(b, (byte) '}', comma, to);
    long titleLen = Decimals.parseLong(b, from + 3, comma);
    long textLen = Decimals.parseLong(b, comma + 1, close);
    int titleFrom = close + 2;
    long titleEnd = titleFrom + titleLen;
    long textEnd = titleEnd + 1 + textLen;
    boolean ok =
        titleLen > 0
            && titleLen <= to - from
            && textLen >= 0
            && textLen <= to - from
            && close + 1 < to
            && b[close + 1] == ':'
            && textEnd <= to
            && b[(int) titleEnd] == '|'
            && (textEnd == to || b[(int) textEnd] == '|');
    if (!ok) {
      reject(RejectReason.BAD_EVENT, b, from, to, sink);
      return;
    }
    stats.event();
    sink.event(b, from, to);
  }

  /** {@code _sc|<name>|<status 0..3>[|...]}. */
  private void parseServiceCheck(byte[] b, int from, int to, StatsdSink sink) {
    int nameFrom = from + 4;
    int nameEnd = indexOf(b, (byte) '|', nameFrom, to);
    int statusEnd = indexOf(b, (byte) '|', Math.min(nameEnd + 1, to), to);
    boolean ok =
        nameEnd > nameFrom
            && statusEnd == nameEnd + 2
            && b[nameEnd + 1] >= '0'
            && b[nameEnd + 1] <= '3';
    if (!ok) {
      reject(RejectReason.BAD_SERVICE_CHECK, b, from, to, sink);
      return;
    }
    stats.serviceCheck();
    sink.serviceCheck(b, from, to);
  }

  private void reject(RejectReason reason, byte[] b, int from, int to, StatsdSink sink) {
    stats.reject(reason);
    sink.rejected(reason, b, from, to);
  }

  /** The index of {@code c} in {@code b[from, to)}, or {@code to}. */
  static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return to;
  }
}
