package dev.tally.protocol.statsd;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The samples of one read turn bound for one aggregation shard, in flat arrays: one event-bus
 * message per shard per turn, no object per sample.
 *
 * <p>One thread fills it with {@link #add}; after {@link #seal()} it is read-only and may be handed
 * to the shard as it is (the local codec does not copy it). Keys are StatsD raw keys (see {@link
 * StatsdKeys}).
 */
public final class SampleBatch {
  private static final int MIN_CAPACITY = 16;

  private byte[] bytes;
  private int bytesLength;
  private int size;
  private int[] keyFrom;
  private int[] keyLength;
  private int[] hash;
  private int[] memberFrom;
  private int[] memberLength;
  private double[] value;
  private double[] rate;
  private boolean[] delta;
  private boolean sealed;
  private long lastLine = -1;
  private Consumer<SampleBatch> recycler;

  /** A batch with room for 16 samples; it grows as needed. */
  public SampleBatch() {
    this(MIN_CAPACITY);
  }

  /**
   * A batch with room for {@code samples} samples before it grows; it keeps its size when reused
   * (see {@link #release()}).
   */
  public SampleBatch(int samples) {
    int n = Math.max(MIN_CAPACITY, samples);
    bytes = new byte[n * 32];
    keyFrom = new int[n];
    keyLength = new int[n];
    hash = new int[n];
    memberFrom = new int[n];
    memberLength = new int[n];
    value = new double[n];
    rate = new double[n];
    delta = new boolean[n];
  }

  /** Adds a parsed StatsD sample; a further value of the same line reuses its key bytes. */
  public void add(StatsdSample s) {
    if (sealed) {
      throw new IllegalStateException("batch is sealed");
    }
    if (size == hash.length) {
      grow();
    }
    int i = size++;
    if (s.line() == lastLine && i > 0) {
      keyFrom[i] = keyFrom[i - 1];
      keyLength[i] = keyLength[i - 1];
    } else {
      int length = StatsdKeys.rawKeyLength(s);
      ensureBytes(length);
      keyFrom[i] = bytesLength;
      keyLength[i] = length;
      bytesLength = StatsdKeys.writeRawKey(s, bytes, bytesLength);
      lastLine = s.line();
    }
    int members = s.memberTo() - s.memberFrom();
    if (members > 0) {
      ensureBytes(members);
      System.arraycopy(s.bytes(), s.memberFrom(), bytes, bytesLength, members);
    }
    memberFrom[i] = bytesLength;
    memberLength[i] = members;
    bytesLength += members;
    hash[i] = s.routingHash();
    value[i] = s.value();
    rate[i] = s.rate();
    delta[i] = s.delta();
  }

  /**
   * Sets where {@link #release()} hands the batch back for reuse (its owner's pool); null for none.
   */
  public SampleBatch recycler(Consumer<SampleBatch> recycler) {
    this.recycler = recycler;
    return this;
  }

  /**
   * Called by the consumer when it is done with the batch: hands it back to its recycler, which may
   * {@link #reset()} and refill it. The batch must not be read afterwards.
   */
  public void release() {
    if (recycler != null) {
      recycler.accept(this);
    }
  }

  /** Empties the batch for reuse, keeping its arrays; only its owner calls this. */
  public SampleBatch reset() {
    size = 0;
    bytesLength = 0;
    sealed = false;
    lastLine = -1;
    return this;
  }

  /** Makes the batch read-only; returns it. */
  public SampleBatch seal() {
    sealed = true;
    return this;
  }

  public int size() {
    return size;
  }

  /** The array holding raw keys and set members; index it with the {@code *From} accessors. */
  public byte[] bytes() {
    return bytes;
  }

  public int keyFrom(int i) {
    return keyFrom[i];
  }

  public int keyLength(int i) {
    return keyLength[i];
  }

  /** The routing hash of sample {@code i}: equal raw keys have equal hashes. */
  public int hash(int i) {
    return hash[i];
  }

  public int memberFrom(int i) {
    return memberFrom[i];
  }

  public int memberLength(int i) {
    return memberLength[i];
  }

  public double value(int i) {
    return value[i];
  }

  public double rate(int i) {
    return rate[i];
  }

  public boolean delta(int i) {
    return delta[i];
  }

  /** The heap its arrays hold, whatever it holds now: what keeping it for reuse costs. */
  public long retainedBytes() {
    // per sample: five ints, two doubles and a boolean
    return bytes.length + (long) hash.length * (5 * Integer.BYTES + 2 * Double.BYTES + 1);
  }

  private void ensureBytes(int more) {
    if (bytesLength + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, bytesLength + more));
    }
  }

  private void grow() {
    int n = hash.length * 2;
    keyFrom = Arrays.copyOf(keyFrom, n);
    keyLength = Arrays.copyOf(keyLength, n);
    hash = Arrays.copyOf(hash, n);
    memberFrom = Arrays.copyOf(memberFrom, n);
    memberLength = Arrays.copyOf(memberLength, n);
    value = Arrays.copyOf(value, n);
    rate = Arrays.copyOf(rate, n);
    delta = Arrays.copyOf(delta, n);
  }
}
