package dev.tally.verticles.cluster;

import java.util.Arrays;

/**
 * A few histogram buckets and their counts, by the bucket's lowest value: what a forwarded timer or
 * distribution gathers in a tick before it needs a whole HdrHistogram. Open addressing; at most
 * {@link #MAX_BUCKETS} buckets. Not thread-safe.
 */
final class BucketCounts {
  /** Buckets held at most; beyond, the interval becomes an HdrHistogram. */
  static final int MAX_BUCKETS = 256;

  private long[] keys = new long[16]; // bucket value + 1, 0 marks a free slot
  private long[] counts = new long[16];
  private int size;

  /** Adds {@code n} to the bucket of lowest value {@code bucket}; false if there is no room. */
  boolean add(long bucket, long n) {
    int i = find(keys, bucket + 1);
    if (keys[i] != 0) {
      counts[i] += n;
      return true;
    }
    if (size == MAX_BUCKETS) {
      return false;
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
      i = find(keys, bucket + 1);
    }
    keys[i] = bucket + 1;
    counts[i] = n;
    size++;
    return true;
  }

  int size() {
    return size;
  }

  /** The buckets' values. */
  long[] values() {
    long[] out = new long[size];
    int n = 0;
    for (long k : keys) {
      if (k != 0) {
        out[n++] = k - 1;
      }
    }
    return out;
  }

  /** The buckets' counts, in the order of {@link #values()}. */
  long[] counts() {
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        out[n++] = counts[i];
      }
    }
    return out;
  }

  void clear() {
    Arrays.fill(keys, 0);
    size = 0;
  }

  private static int find(long[] table, long key) {
    int mask = table.length - 1;
    // the product's high bits: bucket values share their low bits (wide buckets are powers of 2)
    int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    while (table[i] != 0 && table[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new long[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        int j = find(keys, oldKeys[i]);
        keys[j] = oldKeys[i];
        counts[j] = oldCounts[i];
      }
    }
  }
}
