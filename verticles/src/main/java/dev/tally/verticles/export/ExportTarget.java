package dev.tally.verticles.export;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One place data is sent to, with its own queue on disk. Immutable.
 *
 * @param protocol how requests are made
 * @param signals what is sent (remote write: metrics only)
 * @param name names the target in self-metrics ({@code target}) and its queue's directory
 * @param url where requests go
 * @param headers sent with every request ({@code Authorization: Bearer ...} among them)
 * @param match globs ({@code *}, {@code ?}) on the family name; a series is sent if any matches, or
 *     if there are none
 * @param timeoutMillis a request not answered within it fails and is retried
 * @param tlsCa PEM CA certificates that the target's certificate must chain to; null: the JVM's
 * @param tlsCert PEM client certificate chain; null: none
 * @param tlsKey PEM private key of {@code tlsCert}
 * @param shards queues and senders per target; a series always goes through the same one
 * @param maxSamplesPerSend items (samples) in one request at most
 * @param queueMaxBytes bytes the target's queue may hold on disk, all shards together
 * @param gzip OTLP bodies gzip-compressed (remote write's are snappy-compressed always)
 */
public record ExportTarget(
    ExportProtocol protocol,
    java.util.Set<Signal> signals,
    String name,
    URI url,
    Map<String, String> headers,
    List<String> match,
    long timeoutMillis,
    String tlsCa,
    String tlsCert,
    String tlsKey,
    int shards,
    int maxSamplesPerSend,
    long queueMaxBytes,
    boolean gzip) {
  public static final long DEFAULT_TIMEOUT_MILLIS = 30_000;
  public static final int DEFAULT_SHARDS = 2;
  public static final int DEFAULT_MAX_SAMPLES_PER_SEND = 2000;
  public static final long DEFAULT_QUEUE_MAX_BYTES = 1L << 30;

  public ExportTarget {
    signals = java.util.Set.copyOf(signals);
    headers = Map.copyOf(headers);
    match = List.copyOf(match);
  }

  /**
   * The queue shard of an item whose key hashes to {@code hash}: the same for the same key, spread
   * evenly (the hash is mixed first).
   */
  public static int shardOf(int hash, int shards) {
    return Math.floorMod(hash * 0x9E3779B9, shards);
  }

  /**
   * The name a target has unless it is given one: its host, port and path, such as {@code
   * 127.0.0.1_9090_api_v1_write}.
   */
  public static String defaultName(URI url) {
    String port = url.getPort() < 0 ? "" : "_" + url.getPort();
    String path = url.getPath() == null ? "" : url.getPath();
    return safe(url.getHost() + port + path.replace('/', '_'));
  }

  /**
   * {@code name} with every character but letters, digits, dot, dash and underscore as {@code _}.
   */
  public static String safe(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_';
      sb.append(ok ? c : '_');
    }
    String s = sb.toString().replaceAll("_+$", "");
    return s.isEmpty() ? "target" : s;
  }
}
