package dev.tally.verticles.cluster;

import java.util.Arrays;

/** An open-addressing set of longs; small while empty. Not thread-safe. */
public final class LongSet {
  private static final long[] EMPTY = new long[0];

  private long[] slots = EMPTY; // 0 marks a free slot; the value 0 is stored as its own flag
  private boolean hasZero;
  private int size;

  public void add(long v) {
    if (v == 0) {
      if (!hasZero) {
        hasZero = true;
        size++;
      }
      return;
    }
    if ((size + 1) * 2 > slots.length) {
      rehash(Math.max(16, slots.length * 2));
    }
    if (insert(slots, v)) {
      size++;
    }
  }

  public int size() {
    return size;
  }

  /** The members, in no order. */
  public long[] toArray() {
    long[] out = new long[size];
    int n = 0;
    if (hasZero) {
      out[n++] = 0;
    }
    for (long v : slots) {
      if (v != 0) {
        out[n++] = v;
      }
    }
    return out;
  }

  /** Empties the set; keeps a small table, drops a large one. */
  public void clear() {
    if (slots.length > 1024) {
      slots = EMPTY;
    } else {
      Arrays.fill(slots, 0);
    }
    hasZero = false;
    size = 0;
  }

  private static boolean insert(long[] table, long v) {
    int mask = table.length - 1;
    int i = (int) (v ^ (v >>> 32)) * 0x9E3779B9 & mask;
    while (table[i] != 0) {
      if (table[i] == v) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = v;
    return true;
  }

  private void rehash(int capacity) {
    long[] next = new long[capacity];
    for (long v : slots) {
      if (v != 0) {
        insert(next, v);
      }
    }
    slots = next;
  }
}
