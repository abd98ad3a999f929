package dev.tally.protocol.statsd;

import dev.tally.protocol.model.Hashes;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.Names;
import dev.tally.protocol.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw series key of a StatsD sample, and its canonical {@link SeriesKey}.
 *
 * <p>A raw key is the series' bytes as sent, so that the hot path can find a series without
 * decoding: {@code [kind code][name length:2][name][tags length:2][tags][container]}. Two lines
 * with equal raw keys are the same series; two raw keys may also name one series (tags in another
 * order, {@code a.b} and {@code a_b}), which {@link #seriesKey} resolves.
 */
public final class StatsdKeys {
  /** The label a container id ({@code |c:abc}) becomes. */
  public static final String CONTAINER_LABEL = "container_id";

  /** The longest raw key part: names, tags and containers are limited by the line length. */
  public static final int MAX_PART_LENGTH = 0xFFFF;

  static final int CONTAINER_LABEL_HASH;
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final int TRUE_HASH = bytesHash(TRUE, 0, TRUE.length);

  static {
    byte[] label = CONTAINER_LABEL.getBytes(StandardCharsets.US_ASCII);
    CONTAINER_LABEL_HASH = Names.hashSanitized(label, 0, label.length, 0, true);
  }

  private StatsdKeys() {}

  /** The length of the raw key of {@code s}. */
  public static int rawKeyLength(StatsdSample s) {
    return 5
        + (s.nameTo - s.nameFrom)
        + (s.tagsTo - s.tagsFrom)
        + (s.containerTo - s.containerFrom);
  }

  /** Writes the raw key of {@code s} at {@code dst[at]}; returns the index after it. */
  public static int writeRawKey(StatsdSample s, byte[] dst, int at) {
    byte[] b = s.bytes;
    dst[at++] = s.kind.code();
    at = writePart(b, s.nameFrom, s.nameTo, dst, at);
    at = writePart(b, s.tagsFrom, s.tagsTo, dst, at);
    int len = s.containerTo - s.containerFrom;
    System.arraycopy(b, s.containerFrom, dst, at, len);
    return at + len;
  }

  /**
   * Decodes a raw key into the canonical series key: sanitized name, tags as labels (a valueless
   * tag is {@code "true"}), the container id as {@code container_id}.
   */
  public static SeriesKey seriesKey(byte[] raw, int off, int len) {
    Decoded d = decode(raw, off, len);
    return SeriesKey.of(d.kind(), d.name(), d.labels());
  }

  /**
   * A raw key's parts as sent: the kind, the name (not sanitized) and the labels as raw pairs
   * (name, value, ...): tags in the order sent, a valueless tag {@code "true"}, the container id
   * last as {@code container_id}.
   */
  public record Decoded(MetricKind kind, String name, List<String> labels) {}

  /** Decodes a raw key into its parts as sent; see {@link Decoded}. */
  public static Decoded decode(byte[] raw, int off, int len) {
    MetricKind kind = MetricKind.ofCode(raw[off]);
    int nameLen = partLength(raw, off + 1);
    int nameFrom = off + 3;
    String name = new String(raw, nameFrom, nameLen, StandardCharsets.UTF_8);
    int tagsLenAt = nameFrom + nameLen;
    int tagsFrom = tagsLenAt + 2;
    int tagsTo = tagsFrom + partLength(raw, tagsLenAt);
    List<String> labels = new ArrayList<>();
    int i = tagsFrom;
    while (i < tagsTo) {
      int end = StatsdLineParser.indexOf(raw, (byte) ',', i, tagsTo);
      if (end > i) {
        int colon = StatsdLineParser.indexOf(raw, (byte) ':', i, end);
        labels.add(new String(raw, i, colon - i, StandardCharsets.UTF_8));
        labels.add(
            colon == end
                ? "true"
                : new String(raw, colon + 1, end - colon - 1, StandardCharsets.UTF_8));
      }
      i = end + 1;
    }
    int end = off + len;
    if (end > tagsTo) {
      labels.add(CONTAINER_LABEL);
      labels.add(new String(raw, tagsTo, end - tagsTo, StandardCharsets.UTF_8));
    }
    return new Decoded(kind, name, labels);
  }

  /**
   * The routing hash of a StatsD series from its canonical key: the one {@link
   * StatsdSample#routingHash()} gives its lines, so that a series' aggregates sent by another node
   * reach the shard that holds its local samples. (Keys whose label names the key renamed, {@code
   * exported_quantile}, or joined, {@code a="x;y"}, hash otherwise; such series are split over two
   * shards and merged when exposed.)
   */
  public static int routingHash(SeriesKey key) {
    byte[] name = key.name().getBytes(StandardCharsets.UTF_8);
    int h = Names.hashSanitized(name, 0, name.length, routingCode(key.kind()), false);
    int tags = 0;
    for (int i = 0; i < key.labelCount(); i++) {
      byte[] label = key.labelName(i).getBytes(StandardCharsets.UTF_8);
      byte[] value = key.labelValue(i).getBytes(StandardCharsets.UTF_8);
      tags +=
          pairHash(Names.hashSanitized(label, 0, label.length, 0, true), value, 0, value.length);
    }
    return Hashes.mix(31 * h + tags);
  }

  /**
   * The kind's part of a routing hash: its code, but a distribution's is a timer's, so that the
   * {@code ms}, {@code h} and {@code d} lines of one name reach one shard (a mapping file makes
   * them one series).
   */
  static byte routingCode(MetricKind kind) {
    return kind == MetricKind.DISTRIBUTION ? MetricKind.TIMER.code() : kind.code();
  }

  /**
   * The hash of one tag {@code key[:value]} at {@code b[from, to)}, a valueless tag hashing as
   * {@code key:true}. A tag list hashes as the sum of its tags' hashes, whatever their order.
   */
  static int tagHash(byte[] b, int from, int to) {
    int colon = StatsdLineParser.indexOf(b, (byte) ':', from, to);
    int keyHash = Names.hashSanitized(b, from, colon, 0, true);
    return colon == to ? Hashes.mix(31 * keyHash + TRUE_HASH) : pairHash(keyHash, b, colon + 1, to);
  }

  static int pairHash(int keyHash, byte[] b, int valueFrom, int valueTo) {
    return Hashes.mix(31 * keyHash + bytesHash(b, valueFrom, valueTo));
  }

  private static int bytesHash(byte[] b, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return h;
  }

  private static int writePart(byte[] src, int from, int to, byte[] dst, int at) {
    int len = to - from;
    dst[at] = (byte) (len >>> 8);
    dst[at + 1] = (byte) len;
    System.arraycopy(src, from, dst, at + 2, len);
    return at + 2 + len;
  }

  private static int partLength(byte[] raw, int at) {
    return ((raw[at] & 0xFF) << 8) | (raw[at + 1] & 0xFF);
  }
}
