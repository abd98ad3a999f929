package dev.tally.verticles.aggregate;

import java.util.Arrays;

/**
 * A byte range used as a hash-map key, with a hash given by its creator (the routing hash, equal
 * for equal bytes). {@link #copy} makes a stored key; a {@link Probe} looks one up without
 * allocating.
 */
abstract class ByteKey {
  abstract byte[] array();

  abstract int from();

  abstract int length();

  abstract int hash();

  @Override
  public final int hashCode() {
    return hash();
  }

  @Override
  public final boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ByteKey)) {
      return false;
    }
    ByteKey k = (ByteKey) o;
    return hash() == k.hash()
        && length() == k.length()
        && Arrays.equals(
            array(), from(), from() + length(), k.array(), k.from(), k.from() + k.length());
  }

  /** A stored copy of this key's bytes. */
  Stored copy() {
    return new Stored(Arrays.copyOfRange(array(), from(), from() + length()), hash());
  }

  static final class Stored extends ByteKey {
    private final byte[] bytes;
    private final int hash;

    Stored(byte[] bytes, int hash) {
      this.bytes = bytes;
      this.hash = hash;
    }

    @Override
    byte[] array() {
      return bytes;
    }

    @Override
    int from() {
      return 0;
    }

    @Override
    int length() {
      return bytes.length;
    }

    @Override
    int hash() {
      return hash;
    }
  }

  /** A reusable view for look-ups; never store it in a map. Single thread. */
  static final class Probe extends ByteKey {
    private byte[] bytes;
    private int from;
    private int length;
    private int hash;

    Probe set(byte[] bytes, int from, int length, int hash) {
      this.bytes = bytes;
      this.from = from;
      this.length = length;
      this.hash = hash;
      return this;
    }

    @Override
    byte[] array() {
      return bytes;
    }

    @Override
    int from() {
      return from;
    }

    @Override
    int length() {
      return length;
    }

    @Override
    int hash() {
      return hash;
    }
  }
}
