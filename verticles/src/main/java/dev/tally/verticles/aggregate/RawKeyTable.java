package dev.tally.verticles.aggregate;

import java.util.Arrays;

/**
 * The series of a shard by raw key bytes: open addressing with linear probing in parallel arrays
 * (hash, key bytes, series), so that a look-up touches the hash array, one key and one series,
 * instead of a {@code HashMap}'s node, key object and key bytes. Slots come from the high bits of
 * {@code hash * golden ratio}: the low bits of a routing hash also choose the shard, so they are
 * the same for every key of one shard. Removal shifts the following entries back (no tombstones).
 * Single thread.
 */
final class RawKeyTable {
  private static final int MIN_CAPACITY = 64;

  private int[] hashes = new int[MIN_CAPACITY];
  private byte[][] keys = new byte[MIN_CAPACITY][];
  private Series[] values = new Series[MIN_CAPACITY];
  private int shift = Integer.SIZE - Integer.numberOfTrailingZeros(MIN_CAPACITY);
  private int size;

  /** The series whose raw key is {@code bytes[from, from + length)}, or null. */
  Series get(byte[] bytes, int from, int length, int hash) {
    int mask = keys.length - 1;
    for (int i = slot(hash); ; i = (i + 1) & mask) {
      byte[] key = keys[i];
      if (key == null) {
        return null;
      }
      if (hashes[i] == hash
          && key.length == length
          && Arrays.equals(key, 0, length, bytes, from, from + length)) {
        return values[i];
      }
    }
  }

  /** Adds a key that is not in the table. */
  void put(byte[] key, int hash, Series series) {
    if ((size + 1) * 4 > keys.length * 3) {
      resize(keys.length * 2);
    }
    insert(key, hash, series);
    size++;
  }

  /** Removes the key, if present. */
  void remove(byte[] key, int hash) {
    int mask = keys.length - 1;
    int i = slot(hash);
    while (keys[i] != null && !(hashes[i] == hash && Arrays.equals(keys[i], key))) {
      i = (i + 1) & mask;
    }
    if (keys[i] == null) {
      return;
    }
    size--;
    // backward-shift deletion: move later entries of the run into the gap where they may live
    int gap = i;
    for (int j = (i + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
      int home = slot(hashes[j]);
      if (((j - home) & mask) >= ((j - gap) & mask)) { // home is at or before the gap
        keys[gap] = keys[j];
        hashes[gap] = hashes[j];
        values[gap] = values[j];
        gap = j;
      }
    }
    keys[gap] = null;
    values[gap] = null;
  }

  int size() {
    return size;
  }

  private int slot(int hash) {
    return (hash * 0x9E3779B9) >>> shift;
  }

  private void insert(byte[] key, int hash, Series series) {
    int mask = keys.length - 1;
    int i = slot(hash);
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    hashes[i] = hash;
    values[i] = series;
  }

  private void resize(int capacity) {
    int[] oldHashes = hashes;
    byte[][] oldKeys = keys;
    Series[] oldValues = values;
    hashes = new int[capacity];
    keys = new byte[capacity][];
    values = new Series[capacity];
    shift = Integer.SIZE - Integer.numberOfTrailingZeros(capacity);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
  }
}
